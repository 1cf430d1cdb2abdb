// Which milestones the SMS notifier hears about: those citizens get a text for (the ones with
// an SMS template in some journey). CDK sets this as the subscription's filter policy; the
// local SNS applies it.
import en from '../../catalogue/content/en.json';

export const SMS_MILESTONES: readonly string[] = [...new Set(Object.values(en.journeys).flatMap((journey) => Object.keys(journey.sms)))].sort();

export const smsFilterPolicy = { milestone: SMS_MILESTONES } as const;
