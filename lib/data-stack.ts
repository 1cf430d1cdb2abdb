// The stateful stack of a stage: everything that holds data or could not be rebuilt from the
// repository. The keys, the case table (and its backups), the console's session table, the
// caseworker accounts, and the site's buckets. The other stacks (lib/platform.ts) only
// use them, so redeploying or tearing down the compute never touches any of them.
import { Aspects, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Backups } from './backups';
import { Caseworkers } from './caseworkers';
import { CaseData } from './data';
import type { Deployment } from './deployment';
import { DataKeys, EncryptLogGroups } from './keys';
import { ConsoleSessions } from './sessions';
import { SiteBuckets } from './site-buckets';

export interface DataStackProps extends StackProps {
  readonly deployment: Deployment;
  /** the hosted sign-in domain's prefix (-c signInDomainPrefix); the stack's name and account when none */
  readonly signInDomainPrefix?: string;
}

export class DataStack extends Stack {
  readonly keys: DataKeys;
  readonly cases: CaseData;
  readonly sessions: ConsoleSessions;
  readonly caseworkers: Caseworkers;
  readonly buckets: SiteBuckets;
  /** where the stage keeps data (prod) */
  readonly backups?: Backups;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { keepsData, stage } = props.deployment;
    this.keys = new DataKeys(this, 'Keys', { keepsData, stage });
    this.cases = new CaseData(this, 'Data', { key: this.keys.cases, keepsData });
    this.sessions = new ConsoleSessions(this, 'Sessions', { key: this.keys.cases });
    this.caseworkers = new Caseworkers(this, 'Caseworkers', { keepsData, signInDomainPrefix: props.signInDomainPrefix });
    this.buckets = new SiteBuckets(this, 'Site', { keepsData });
    // (the keys make a backups key where the stage keeps data)
    if (this.keys.backups) this.backups = new Backups(this, 'Backups', { table: this.cases.table, key: this.keys.backups, stage });
    // (the custom resource that empties dev's buckets logs too)
    Aspects.of(this).add(new EncryptLogGroups(this.keys.logs, { keepsData }));
  }
}
