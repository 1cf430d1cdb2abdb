// The types of local/loopback.cjs (plain CommonJS, so the local DynamoDB's process can load it too).
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

export declare const MISDIRECTED: 421;
export declare function addressedTo(req: IncomingMessage): string | undefined;
export declare function hostName(authority: string | undefined): string | undefined;
export declare function answersTo(host: string | undefined, also?: readonly string[]): boolean;
export declare function fromAnotherSite(req: IncomingMessage, also?: readonly string[]): boolean;
export declare function sentByWebPage(req: IncomingMessage): boolean;
export declare function refuse(res: ServerResponse, status: number, code: string, message: string): void;
export declare function guarded(listener: RequestListener, options?: { readonly alsoAnswersTo?: readonly string[]; readonly sdkOnly?: boolean }): RequestListener;
