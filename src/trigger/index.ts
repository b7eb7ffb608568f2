/** The rebuild trigger: request check, secrets, rate limit, coalescing queue, HTTP handler, sender. */
export { signBody, verifyTrigger, parseTriggerBody, signatureMatches, SIGNATURE_HEADER, type TriggerBody, type Verdict, type Rejection } from './signature.ts';
export { loadTriggerSecrets, parseSecretsFile, secretEnvName, type SecretLookup } from './secrets.ts';
export { createRateLimiter, type RateLimiter } from './rate-limit.ts';
export { createRebuildQueue, type RebuildQueue, type RunRecord, type RunOutcome, type QueueOptions } from './queue.ts';
export { createTriggerHandler, REBUILD_PATH, STATUS_PATH, type TriggerHandlerOptions, type TriggerRequestHandler } from './handler.ts';
export { sendTrigger, buildTriggerRequest, rebuildUrl, type TriggerResponse } from './send.ts';
