export { RocketChatSimulator, type SimulatorFaults, type WebhookFaults } from './simulator';
export { SimStore, SYSTEM_USER, DEFAULT_DEPARTMENTS } from './store';
export { ControlError, type CloseInput, type Closer } from './rooms';
export { ROCKETCHAT_RULES } from './rate-limit';
export { SIM_VERSION } from './api';
export { roomStatus } from './sim-routes';
export type { ResolvedWebhookConfig } from './webhooks';
export type * from './types';
