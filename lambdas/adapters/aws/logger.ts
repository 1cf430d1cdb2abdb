// The one logger every function uses (Powertools: structured JSON with the request id, the
// function's name and cold start). Only references, stages and error names go in it.
import { Logger } from '@aws-lambda-powertools/logger';
import type { Log } from '../../domain/ports';

export const logger = new Logger({ serviceName: 'journey-tracker' });

/** The logger as the domain's Log port. */
export const log: Log = {
  info: (message, fields = {}) => logger.info(message, fields),
  error: (message, fields = {}) => logger.error(message, fields),
};
