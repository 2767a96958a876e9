export { RocketChatSimulator, type SimulatorFaults, type WebhookFaults } from './simulator';
export { SimStore, SYSTEM_USER, DEFAULT_DEPARTMENTS } from './store';
export { ControlError, type CloseInput, type Closer } from './rooms';
export { ROCKETCHAT_RULES } from './rate-limit';
export { SIM_DEFAULT_VERSION, compareVersions, parseVersion } from './version';
/** @deprecated the version is now an option; this is its default */
export { SIM_DEFAULT_VERSION as SIM_VERSION } from './version';
export { versionProfile, type VersionProfile, type WebhookProfile } from './profile';
export { validateLivechatRequest, VALIDATED_ROUTES } from './request-validation';
export { roomStatus } from './sim-routes';
export type { ResolvedWebhookConfig } from './webhooks';
export type * from './types';
