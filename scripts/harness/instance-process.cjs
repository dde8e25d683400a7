// One warm "Lambda instance": a child process that loads the bundled handler once (the cold start) and runs
// one invocation at a time, as Lambda does. The harness crashes it with SIGKILL; nothing here can prevent that.
// Plain CommonJS so it starts without a TypeScript loader.
'use strict';

const bundle = process.env.HARNESS_HANDLER_BUNDLE;
const { handler } = require(bundle);
if (typeof handler !== 'function') throw new Error(`${bundle} exports no handler function`);

process.on('message', async (message) => {
  const deadline = Date.now() + message.timeoutMs;
  const context = {
    functionName: 'indexer',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:indexer',
    memoryLimitInMB: '1024',
    awsRequestId: message.requestId,
    logGroupName: '/aws/lambda/indexer',
    logStreamName: `harness/${process.pid}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done() {},
    fail() {},
    succeed() {},
  };
  try {
    const result = await handler(message.event, context);
    process.send({ requestId: message.requestId, result: result === undefined ? null : result });
  } catch (error) {
    process.send({ requestId: message.requestId, error: String((error && error.stack) || error) });
  }
});

process.send({ ready: true });
