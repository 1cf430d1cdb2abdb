// SNS: milestones to the milestone topic (with the attributes subscribers filter on), and SMS to
// a citizen's phone as a transactional text.
import { CheckIfPhoneNumberIsOptedOutCommand, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { milestoneAttributes, type MilestoneEvent } from '../../domain/cases/milestones';
import type { Log, MilestonePublisher, SmsSender } from '../../domain/ports';

export class SnsMilestonePublisher implements MilestonePublisher {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
    private readonly log: Log,
  ) {}

  async publish(event: MilestoneEvent): Promise<boolean> {
    try {
      await this.sns.send(
        new PublishCommand({
          TopicArn: this.topicArn,
          Message: JSON.stringify(event),
          MessageAttributes: Object.fromEntries(Object.entries(milestoneAttributes(event)).map(([name, value]) => [name, { DataType: 'String', StringValue: value }])),
        }),
      );
      return true;
    } catch (error) {
      // Only the error's name: the caller counts it, and the milestone never blocks the journey.
      this.log.error('milestone publish failed', { reference: event.reference, milestone: event.milestone, error: (error as Error)?.name });
      return false;
    }
  }
}

export class SnsSmsSender implements SmsSender {
  constructor(private readonly sns: SNSClient) {}

  async isOptedOut(phone: string): Promise<boolean> {
    const { isOptedOut } = await this.sns.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: phone }));
    return Boolean(isOptedOut);
  }

  async send(phone: string, text: string): Promise<string | undefined> {
    const { MessageId } = await this.sns.send(
      new PublishCommand({
        PhoneNumber: phone,
        Message: text,
        MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
      }),
    );
    return MessageId;
  }
}
