// Which case each text was, in the case table under `sms#<message id>`: written by the notifier
// once the provider has the text, read by the delivery receipts. A receipt comes within minutes
// (the provider gives up on a phone after about a day), so each is kept 30 days, then expires.
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SentText, SentTexts } from '../../domain/ports';
import { CASE_TABLE } from './case-table';

const KEPT_SECONDS = 30 * 86_400;

export class DynamoSentTexts implements SentTexts {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async remember(messageId: string, text: SentText): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        // `reference` is the table's key: the case's reference is kept as caseReference
        Item: { [CASE_TABLE.partitionKey]: `${CASE_TABLE.sentTextPrefix}${messageId}`, caseReference: text.reference, event: text.event, on: text.on, [CASE_TABLE.timeToLiveAttribute]: Math.floor(this.now().getTime() / 1000) + KEPT_SECONDS },
      }),
    );
  }

  async find(messageId: string): Promise<SentText | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { [CASE_TABLE.partitionKey]: `${CASE_TABLE.sentTextPrefix}${messageId}` }, ConsistentRead: true }));
    return out.Item ? { reference: String(out.Item.caseReference), event: String(out.Item.event), on: String(out.Item.on) } : undefined;
  }
}
