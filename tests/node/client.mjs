// Talks to Switchyard the way an application would: the official `openai` package pointed at Switchyard's /v1,
// plus a plain fetch to the dispatcher dialect's POST /api/openai. Prints one JSON line with what it saw;
// exits non-zero when a call fails unexpectedly.
// Usage: node client.mjs <switchyard url> [model]   (model defaults to "node-echo"; "<model>-full" must be served too)
import OpenAI from 'openai';

const [base, model = 'node-echo'] = process.argv.slice(2);
if (!base) {
  console.error('usage: node client.mjs <switchyard url> [model]');
  process.exit(2);
}

const root = base.replace(/\/$/, '');
const client = new OpenAI({ baseURL: `${root}/v1`, apiKey: process.env.SWITCHYARD_API_KEY ?? 'unused', maxRetries: 0, timeout: 60_000 });
const messages = [{ role: 'user', content: 'hello from node' }];
const out = {};

out.models = (await client.models.list()).data.map((m) => m.id);

const completion = await client.chat.completions.create({ model, messages, temperature: 0 });
out.completion = {
  id: completion.id,
  object: completion.object,
  model: completion.model,
  content: completion.choices[0].message.content,
  finish: completion.choices[0].finish_reason,
  totalTokens: completion.usage?.total_tokens ?? null,
};

const full = await client.chat.completions.create({ model: `${model}-full`, messages });
out.full = { id: full.id, content: full.choices[0].message.content, finish: full.choices[0].finish_reason };

const stream = await client.chat.completions.create({ model, messages, stream: true, stream_options: { include_usage: true } });
const seen = { chunks: 0, content: '', finish: null, ids: new Set(), usage: null };
for await (const chunk of stream) {
  seen.chunks += 1;
  seen.ids.add(chunk.id);
  seen.content += chunk.choices[0]?.delta?.content ?? '';
  seen.finish = chunk.choices[0]?.finish_reason ?? seen.finish;
  seen.usage = chunk.usage ?? seen.usage;
}
out.stream = { chunks: seen.chunks, content: seen.content, finish: seen.finish, ids: [...seen.ids], totalTokens: seen.usage?.total_tokens ?? null };

try {
  await client.chat.completions.create({ model: 'no-such-model', messages });
  out.missing = { status: 200 };
} catch (error) {
  if (!(error instanceof OpenAI.APIError)) {
    throw error;
  }
  out.missing = { status: error.status, type: error.type ?? null, code: error.code ?? null, message: error.message };
}

const response = await fetch(`${root}/api/openai`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(process.env.SWITCHYARD_API_KEY ? { authorization: `Bearer ${process.env.SWITCHYARD_API_KEY}` } : {}) },
  body: JSON.stringify({ model, messages }),
});
const text = await response.text();
let body = null;
try {
  body = JSON.parse(text);
} catch {
  body = text;
}
out.dispatcher = { status: response.status, body };

console.log(JSON.stringify(out));
