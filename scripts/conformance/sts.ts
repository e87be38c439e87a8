import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { observe, withoutAccount, type Behaviour } from './behaviour.ts';

export const STS_BEHAVIOURS: Behaviour[] = [
  {
    name: 'STS GetCallerIdentity: the shape of Account, Arn and UserId',
    run: async (t) => ({
      identity: await observe(t.sts.send(new GetCallerIdentityCommand({})), (o) => ({
        accountIsTheBackendAccount: o.Account === t.backend.accountId,
        accountIs12Digits: /^\d{12}$/.test(o.Account ?? ''),
        arnInAccount: (o.Arn ?? '').startsWith('arn:aws:') && (o.Arn ?? '').includes(`::${o.Account}:`),
        hasUserId: Boolean(o.UserId),
      })),
    }),
  },
  {
    name: 'STS GetCallerIdentity of the default credentials: the root ARN',
    run: async (t) => ({
      identity: await observe(t.sts.send(new GetCallerIdentityCommand({})), (o) => ({
        arn: withoutAccount(o.Arn, t.backend.accountId),
        userId: withoutAccount(o.UserId, t.backend.accountId),
      })),
    }),
  },
];
