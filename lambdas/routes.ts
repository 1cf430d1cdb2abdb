// The one route table: CDK builds API Gateway from it and the local server serves it, so the
// two cannot drift.
import type { Journey } from './domain/reference';

export type Access = 'public' | 'caseworker';
export type Need = 'table:read' | 'table:write' | 'journeys:start' | 'journeys:callback' | 'topic:publish';

export interface Route {
  readonly method: 'GET' | 'POST';
  /** API Gateway resource path, with {parameters} */
  readonly path: string;
  /** the handler module under lambdas/, without extension */
  readonly entry: string;
  readonly access: Access;
  readonly needs: readonly Need[];
  readonly journeys?: readonly Journey[];
  readonly description: string;
}

export const ROUTES: readonly Route[] = [
  { method: 'POST', path: '/applications', entry: 'api/submit-application', access: 'public', needs: ['table:write', 'journeys:start', 'topic:publish'], journeys: ['application'], description: 'A citizen applies' },
  { method: 'POST', path: '/renewals', entry: 'api/submit-renewal', access: 'public', needs: ['table:write', 'journeys:start', 'topic:publish'], journeys: ['renewal'], description: 'A citizen renews an approved permit' },
  { method: 'POST', path: '/appeals', entry: 'api/submit-appeal', access: 'public', needs: ['table:write', 'journeys:start', 'topic:publish'], journeys: ['appeal'], description: 'A citizen appeals against a refusal' },
  { method: 'GET', path: '/status/{reference}', entry: 'api/get-status', access: 'public', needs: ['table:read'], description: 'A citizen checks the status of a case' },
  { method: 'POST', path: '/status/{reference}/information', entry: 'api/answer-information', access: 'public', needs: ['table:write', 'journeys:callback'], description: 'A citizen sends the information a caseworker asked for' },
  { method: 'GET', path: '/cases', entry: 'api/list-cases', access: 'caseworker', needs: ['table:read'], description: 'A caseworker queue, oldest first' },
  { method: 'GET', path: '/cases/{reference}', entry: 'api/get-case', access: 'caseworker', needs: ['table:read'], description: 'A whole case, for a caseworker' },
  { method: 'POST', path: '/cases/{reference}/decision', entry: 'api/decide', access: 'caseworker', needs: ['table:write', 'journeys:callback'], description: 'A caseworker decides' },
  { method: 'POST', path: '/cases/{reference}/delay', entry: 'api/record-delay', access: 'caseworker', needs: ['table:write', 'topic:publish'], description: 'A caseworker explains a delay' },
];

/** A stable name for a route's function, e.g. "api/get-status" → "GetStatus". */
export const functionId = (entry: string): string =>
  entry
    .split('/')
    .pop()!
    .split('-')
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
