/** @module A carrier outcome as an HTTP answer: parked is 202 so the carrier stops retrying. */
import { HttpError } from '@tidings/http';
import type { FastifyReply } from 'fastify';
import { answerIngest } from '../shared/source-http.ts';
import type { CarrierOutcome } from './carrier-update.ts';

export const answerCarrier = (reply: FastifyReply, outcome: CarrierOutcome): FastifyReply => {
  switch (outcome.outcome) {
    case 'ingested':
      return answerIngest(reply, outcome.result, { shipmentId: outcome.shipmentId });
    case 'parked':
      return reply.status(202).send({ outcome: 'parked' });
    case 'already_parked':
      return reply.status(200).send({ outcome: 'duplicate' });
    case 'invalid_status':
      throw new HttpError(outcome.error.code, outcome.error.message, {
        status: 422,
        details: {
          ...(outcome.error.field ? { field: outcome.error.field } : {}),
          value: outcome.error.value,
        },
      });
    case 'rejected':
      throw new HttpError(
        outcome.code === 'unknown_tenant' ? 'not_found' : 'forbidden',
        outcome.code === 'unknown_tenant' ? 'No such tenant.' : 'The tenant cannot take events.',
      );
    default:
      return outcome satisfies never;
  }
};
