// A small Switchyard push worker over the native worker protocol (docs/protocols/worker.md), using `ws`.
// It answers chat tasks ({model, messages, data}) by echoing the last user message:
//   - data.stream true  -> a few progress frames {"delta": "..."} and then complete {"content": ...}
//   - model ending in "-full" -> complete with a full chat.completion object
//   - otherwise          -> complete with {"content": ...}
// Usage: node worker.mjs <switchyard url> [group ...]   (groups default to "node-echo")
// Prints one JSON line {"ready": "<worker id>"} once welcomed. Set SWITCHYARD_API_KEY when the server has keys.
import WebSocket from 'ws';

const [base, ...args] = process.argv.slice(2);
if (!base) {
  console.error('usage: node worker.mjs <switchyard url> [group ...]');
  process.exit(2);
}

const groups = args.length > 0 ? args : ['node-echo'];
const url = new URL('/ws/v1/worker', base.replace(/^http/, 'ws'));
const headers = process.env.SWITCHYARD_API_KEY ? { Authorization: `Bearer ${process.env.SWITCHYARD_API_KEY}` } : {};
const socket = new WebSocket(url, { headers });
const held = new Map(); // task id -> lease token
let heartbeat;

const send = (frame) => socket.send(JSON.stringify(frame));

socket.on('open', () => send({ type: 'hello', name: 'node-worker', queues: ['default'], groups, capacity: 4, version: 'node-e2e' }));

socket.on('message', (raw) => {
  const frame = JSON.parse(raw.toString());
  switch (frame.type) {
    case 'welcome':
      heartbeat = setInterval(() => {
        if (held.size > 0) {
          send({ type: 'heartbeat', tasks: [...held].map(([taskId, leaseToken]) => ({ taskId, leaseToken })) });
        }
      }, frame.heartbeatIntervalMs);
      console.log(JSON.stringify({ ready: frame.workerId }));
      break;
    case 'task':
      run(frame.task).catch((error) => finish(frame.task, { type: 'fail', error: { code: 'worker_error', message: String(error), kind: 'fatal' } }));
      break;
    case 'cancel':
      held.delete(frame.taskId);
      break;
    case 'terminate':
    case 'quiet':
      socket.close(1000, 'bye');
      break;
    case 'error':
      console.error(`server refused a frame: ${frame.code} ${frame.message}`);
      break;
    default:
      break;
  }
});

socket.on('close', () => {
  clearInterval(heartbeat);
  process.exit(0);
});
socket.on('error', (error) => {
  console.error(`worker socket error: ${error.message}`);
  process.exit(1);
});
process.on('SIGTERM', () => socket.close(1000, 'bye'));

async function run(task) {
  const leaseToken = task.lease.token;
  held.set(task.id, leaseToken);
  const { model, messages = [], data = {} } = task.payload ?? {};
  const last = [...messages].reverse().find((m) => m.role === 'user');
  const reply = `echo: ${typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content ?? null)}`;
  const usage = { prompt_tokens: messages.length, completion_tokens: reply.split(' ').length, total_tokens: messages.length + reply.split(' ').length };

  if (data?.stream === true) {
    for (const piece of reply.match(/\S+\s*/g) ?? []) {
      if (!held.has(task.id)) {
        return; // cancelled
      }
      send({ type: 'progress', taskId: task.id, leaseToken, data: { delta: piece } });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    finish(task, { type: 'complete', result: { content: reply, usage } });
  } else if (String(model).endsWith('-full')) {
    finish(task, {
      type: 'complete',
      result: {
        id: 'chatcmpl-node-worker',
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: reply }, finish_reason: 'stop' }],
        usage,
      },
    });
  } else {
    finish(task, { type: 'complete', result: { content: reply, usage } });
  }
}

function finish(task, frame) {
  if (held.delete(task.id)) {
    send({ ...frame, taskId: task.id, leaseToken: task.lease.token });
  }
}
