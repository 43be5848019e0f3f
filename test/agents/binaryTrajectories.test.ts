/**
 * Trajectories of agents whose tools return images or files, and of models whose own trajectory holds bytes.
 *
 * Regression: a tool result with no text part (an Anthropic `tool_result` holding an image block, a Responses
 * `function_call_output` holding an `input_image`, an AI SDK `content` output holding a `media` part) was read as
 * the JSON of its parts, base64 included, so the trajectory showed the image's first 2000 base64 characters, and
 * since every request carries the whole conversation, a 30-turn loop returning a 400 KB screenshot per turn
 * stringified 465 copies (231 MB of heap held until the row finished, 2.3 s). Such parts now read as a mark
 * (`[image image/png]`) beside the text parts. A model's own trajectory with bytes in a tool call's arguments kept
 * them as an object of one key per byte (`{"0":137,…}`, never cut) and a bytes tool result as their JSON; both
 * are now a mark saying how many bytes were left out, and the trajectory says it was cut.
 */
import { describe, expect, it } from 'vitest';
import { TrajectoryRecorder, trajectoryFromModel } from '../../src/agents/index.js';
import { observed } from './_trajectories.js';

const b64 = Buffer.alloc(400_000, 3).toString('base64');

describe('TrajectoryRecorder: tool results holding images or files', () => {
  it('an Anthropic tool_result image reads as a mark, beside its text, and stays small over 30 turns', () => {
    const rec = new TrajectoryRecorder('full');
    const messages: unknown[] = [{ role: 'user', content: 'go' }];
    const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: b64 } };
    for (let t = 0; t < 30; t++) {
      const use = { type: 'tool_use', id: `tu_${t}`, name: 'screenshot', input: {} };
      rec.observe(
        observed(
          'anthropic.messages',
          { model: 'c', messages: [...messages] },
          { type: 'message', role: 'assistant', content: [use], stop_reason: 'tool_use' },
        ),
      );
      messages.push({ role: 'assistant', content: [use] });
      const content = t === 0 ? [image] : [{ type: 'text', text: `shot ${t}` }, image];
      messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: `tu_${t}`, content }] });
    }
    const tr = rec.finish();
    expect(tr.steps[0]?.toolResults[0]?.content).toBe('[image image/png]');
    expect(tr.steps[1]?.toolResults[0]?.content).toBe('shot 1\n[image image/png]');
    expect(tr.truncated).toBe(false);
    expect(JSON.stringify(tr).length).toBeLessThan(20_000);
  });

  it('a Responses function_call_output holding an input_image and an input_file', () => {
    const rec = new TrajectoryRecorder('full');
    const call = { type: 'function_call', call_id: 'c1', name: 'render', arguments: '{}' };
    rec.observe(observed('openai.responses', { input: 'go' }, { object: 'response', output: [call] }));
    rec.observe(
      observed(
        'openai.responses',
        {
          input: [
            call,
            {
              type: 'function_call_output',
              call_id: 'c1',
              output: [
                { type: 'input_image', image_url: `data:image/png;base64,${b64}` },
                { type: 'input_file', filename: 'a.pdf', file_data: `data:application/pdf;base64,${b64}` },
              ],
            },
          ],
        },
        { object: 'response', output: [] },
      ),
    );
    expect(rec.finish().steps[0]?.toolResults[0]?.content).toBe('[input_image]\n[input_file]');
  });

  it.each([
    ['ai 5 media', { type: 'media', data: b64, mediaType: 'image/png' }, '[media image/png]'],
    ['ai 6 image-data', { type: 'image-data', data: b64, mediaType: 'image/png' }, '[image-data image/png]'],
    [
      'ai 7 file data',
      { type: 'file', data: { type: 'data', data: new Uint8Array(300_000) }, mediaType: 'image/png' },
      '[file image/png]',
    ],
  ])('an AI SDK content output with %s', (_what, part, mark) => {
    const rec = new TrajectoryRecorder('full');
    const call = { type: 'tool-call', toolCallId: 't1', toolName: 'snap', input: '{}' };
    rec.observe(observed('ai-sdk', { params: { prompt: [] } }, { content: [call] }));
    rec.observe(
      observed(
        'ai-sdk',
        {
          params: {
            prompt: [
              { role: 'assistant', content: [call] },
              {
                role: 'tool',
                content: [
                  {
                    type: 'tool-result',
                    toolCallId: 't1',
                    toolName: 'snap',
                    output: { type: 'content', value: [part] },
                  },
                ],
              },
            ],
          },
        },
        { content: [{ type: 'text', text: 'done' }] },
      ),
    );
    expect(rec.finish().steps[0]?.toolResults[0]?.content).toBe(mark);
  });
});

describe("trajectoryFromModel: bytes in a model's own trajectory", () => {
  it('arguments and results holding bytes are marks, and the trajectory says it was cut', () => {
    const tr = trajectoryFromModel(
      {
        steps: [
          {
            toolCalls: [
              { name: 'ocr', arguments: { image: new Uint8Array(300_000), pages: [Buffer.alloc(10)] } },
            ],
            toolResults: [{ content: new Uint8Array(5000) }],
          },
        ],
      },
      'full',
    );
    expect(tr.steps[0]?.toolCalls[0]?.arguments).toEqual({
      image: '…[truncated: a Uint8Array of 300000 bytes]',
      pages: ['…[truncated: a Buffer of 10 bytes]'],
    });
    expect(tr.steps[0]?.toolResults[0]?.content).toBe('…[truncated: a Uint8Array of 5000 bytes]');
    expect(tr.truncated).toBe(true);
  });
});
