/**
 * remote: the one reader of remote copies (mirror URLs, IPFS gateway paths,
 * onions through SOCKS5). `fetchFile` gets one file within bounds; `openRemote`
 * is a copy at a base URL; `checkRemote` checks it against its signed
 * manifest (`check` samples, `verify <url>` checks all); `downloadCopy` fetches
 * a whole copy into a folder, verifying each file. Every failure is a
 * RemoteError with a stable code and the status it means (down / tampered).
 */
export { REMOTE_CODES, RemoteError, type RemoteCode, type RemoteStatus } from './errors.ts';
export { fetchFile, redirectTarget, remoteAgents, type FetchedFile, type FetchFileOptions, type RemoteAgents, type RemoteOptions } from './fetch.ts';
export { openRemote, pathUrl, type CopyFetchOptions, type RemoteCopy } from './copy.ts';
export { checkRemote, copyStatus, downloadCopy, problemStatus, worstProblem, type RemoteCheck, type RemoteCheckOptions } from './check.ts';
export { isOnion, ONION_NEEDS_SOCKS, parseProxy, socksConnect } from './socks.ts';
