/**
 * Lab 05 (DynamoDB) proves itself with the shared suite (self-validation-runner.ts): the
 * solution scores full marks, each known-wrong submission under
 * fixtures/submissions/05-dynamodb loses exactly the checks it should, and on moto the
 * checks below are reported not gradable while every other check passes.
 */
import { defineSelfValidation } from './self-validation-runner.ts';

defineSelfValidation({
  lab: 5,
  labId: '05-dynamodb',
  maxScore: 25,
  programPrints: ["End of DynamoDB notes script"],
  notGradableOnMoto: [
    "returns only once the table is ACTIVE, so the first write succeeds",
    "polls DescribeTable about once a second until ACTIVE",
    "uses BatchWriteItem with 25 notes per call",
    "retries UnprocessedItems until every note is written",
    "reads one partition with Query, never Scan",
    "returns only once the table is gone, polling with waitUntilTableNotExists",
  ],
  // Its runs mostly wait for tables to change state, not for the CPU.
  parallel: 3,
});
