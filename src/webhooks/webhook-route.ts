/** Where Rocket.Chat posts its Omnichannel webhook (Livechat_webhookUrl = <omnigate>/webhooks/rocketchat). */
export const WEBHOOK_ROUTE = 'webhooks/rocketchat';
