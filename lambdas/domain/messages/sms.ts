// SMS text: the message for a milestone in the citizen's language, and an honest count of the
// segments it costs. GSM-7 fits 160 characters in one segment (153 per segment when split);
// any character outside GSM-7 (Welsh ŵ and ŷ, say) makes the whole message UCS-2: 70, then 67.
import { CONTENT, fill, readableDate } from '../services/content';
import { findService } from '../services/catalogue';
import { citizensDate, type CaseRecord } from '../cases/case';
import type { Milestone } from '../cases/milestones';
import { PAUSE_HOURS } from '../citizens/identity';

const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENDED = '^{}\\[~]|€\f';

export function smsSegments(text: string): { encoding: 'GSM-7' | 'UCS-2'; units: number; segments: number } {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (GSM7_BASIC.includes(ch)) septets += 1;
    else if (GSM7_EXTENDED.includes(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return { encoding: 'GSM-7', units: septets, segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
  const units = text.length; // UTF-16 code units, as UCS-2 counts them
  return { encoding: 'UCS-2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}

/** The date an SMS for a milestone talks about, if any. */
function milestoneDate(record: CaseRecord, milestone: Milestone): string | undefined {
  switch (milestone) {
    case 'information-needed':
      return record.expectedBy;
    case 'delayed':
      return citizensDate(record);
    case 'approved':
    case 'renewal-due':
    case 'expired':
      return record.expiresOn;
    case 'refused':
      return record.appealBy;
    default:
      return record.expectedBy;
  }
}

/** The SMS for a milestone, or undefined when citizens are not texted about it. */
export function renderSms(record: CaseRecord, milestone: Milestone): string | undefined {
  const template = CONTENT[record.language].journeys[record.journey]?.sms[milestone];
  if (!template) return undefined;
  const service = findService(record.service);
  return fill(template, {
    service: service?.name[record.language] ?? record.service,
    reference: record.reference,
    date: readableDate(milestoneDate(record, milestone), record.language),
    hours: PAUSE_HOURS,
  });
}

/** For logs: enough of a number to tell two apart, never the number itself. */
export const maskPhone = (phone: string): string => `${phone.slice(0, 3)}******${phone.slice(-2)}`;
