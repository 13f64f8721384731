import * as assert from 'assert';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { isLoopbackHost, keyTravelsInClear, restBaseUrl } from '../../../../src/core/connection/nodeConfig';
import { OutgoingMessageError } from '../../../../src/core/sending/outgoingMessage';
import { NodeRequestError, restUrl, sendMessage } from '../../../../src/core/sending/restClient';
import { loadWireTypes } from '../../../../src/core/wire/wireTypes';

const PEER = '02' + '5a'.repeat(32);

describe('the REST client', () => {
  describe('its base URL', () => {
    it('keeps the path prefix before /v1/subscribe, as written', () => {
      assert.strictEqual(restBaseUrl('ws://127.0.0.1:8882/v1/subscribe'), 'http://127.0.0.1:8882');
      assert.strictEqual(restBaseUrl('wss://gw.example/node1/v1/subscribe'), 'https://gw.example/node1');
      assert.strictEqual(restUrl('wss://gw.example/node1/v1/subscribe', '/v1/message/send').href, 'https://gw.example/node1/v1/message/send');
      assert.strictEqual(restBaseUrl('wss://gw.example/node1/v1/subscribe/'), 'https://gw.example/node1');
      assert.strictEqual(restBaseUrl('wss://gw.example:8443/a/b%2Fc/my%20node/v1/subscribe?x=1#f'), 'https://gw.example:8443/a/b%2Fc/my%20node');
      assert.strictEqual(restUrl('wss://gw.example/caf%C3%A9/v1/subscribe', '/v1/message/send').pathname, '/caf%C3%A9/v1/message/send');
      assert.strictEqual(restBaseUrl('ws://[::1]:8882/prefix/'), 'http://[::1]:8882/prefix');
      assert.strictEqual(restBaseUrl('ws://host/'), 'http://host');
    });

    it('knows which hosts are this machine', () => {
      for (const host of ['127.0.0.1', '127.8.9.10', 'localhost', 'LOCALHOST', '[::1]', '::1', 'a.localhost']) {
        assert.ok(isLoopbackHost(host), host);
      }
      for (const host of ['10.0.0.1', '128.0.0.1', '127.example', 'localhost.example', '[::2]', 'gw.example', '0.0.0.0']) {
        assert.ok(!isLoopbackHost(host), host);
      }
      assert.ok(keyTravelsInClear('ws://gw.example/v1/subscribe'));
      assert.ok(keyTravelsInClear('ws://192.168.1.4:8882/v1/subscribe'));
      assert.ok(!keyTravelsInClear('wss://gw.example/v1/subscribe'));
      assert.ok(!keyTravelsInClear('ws://127.0.0.1:8882/v1/subscribe'));
      assert.ok(!keyTravelsInClear('ws://[::1]:8882/v1/subscribe'));
    });
  });

  describe('against a real HTTP server on loopback', () => {
    let server: http.Server;
    let requests: { url: string; key: string | undefined }[];
    let bodies: string[];
    let handler: (request: http.IncomingMessage, response: http.ServerResponse) => void;

    beforeEach(async () => {
      requests = [];
      bodies = [];
      server = http.createServer((request, response) => {
        requests.push({ url: request.url ?? '', key: request.headers['grpc-metadata-x-api-key'] as string | undefined });
        let body = '';
        request.setEncoding('utf8');
        request.on('data', (chunk: string) => (body += chunk));
        request.on('end', () => {
          bodies.push(body);
          handler(request, response);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });

    afterEach(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    const url = (path = '/v1/subscribe') => `ws://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;

    it('sends the key to the configured path prefix only', async () => {
      handler = (_request, response) => response.end('{"id":"abc"}');
      assert.strictEqual(await sendMessage({ name: 'gw', url: url('/node%201/v1/subscribe/') }, { pubkey: PEER, data: 'x' }, { apiKey: 'k' }), 'abc');
      assert.deepStrictEqual(requests, [{ url: '/node%201/v1/message/send', key: 'k' }]);
    });

    it('writes a v0.1.x body as protobufjs writes the .proto\'s SendMessageRequest', async () => {
      handler = (_request, response) => response.end('{"id":"abc"}');
      const sends = [
        { pubkey: PEER, data: 'x' },
        { pubkey: PEER, data: new Uint8Array([0, 255, 1, 254]), amount: 9_007_199_254_740_993n, replyToId: 'r'.repeat(64) },
        { pubkey: PEER, data: 'é\u{1F600}'.repeat(500), amount: 7 },
      ];
      for (const send of sends) {
        await sendMessage({ name: 'gw', url: url() }, send, { apiVersion: 'v0' });
      }
      const type = loadWireTypes().sendMessageRequest;
      const expected = sends.map((send, i) => {
        const sent = JSON.parse(bodies[i] ?? '{}') as { amount: string };
        const message = type.fromObject({ msg: Buffer.from(send.data), pubkey: send.pubkey, amount: sent.amount, reply_to_id: send.replyToId ?? '' });
        return JSON.stringify(type.toObject(message, { longs: String, bytes: String, defaults: false }));
      });
      assert.deepStrictEqual(bodies, expected);
      assert.strictEqual((JSON.parse(bodies[1] ?? '{}') as { amount: string }).amount, '9007199254740993');
    });

    it('cuts off an answer over the response cap, with a clear error', async () => {
      handler = (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write(`{"id":"${'a'.repeat(40_000)}`);
        response.end(`${'a'.repeat(40_000)}"}`);
      };
      await assert.rejects(sendMessage({ name: 'n', url: url() }, { pubkey: PEER, data: 'x' }), (error: Error) => {
        assert.ok(error instanceof NodeRequestError);
        assert.match(error.message, /^The answer from 127\.0\.0\.1:\d+ is over 64 KiB; it was cut off unread$/);
        return true;
      });
    });

    it('gives up at the overall deadline on a node that trickles its answer', async () => {
      handler = (_request, response) => {
        response.writeHead(200);
        const timer = setInterval(() => response.write(' '), 20);
        response.on('close', () => clearInterval(timer));
      };
      await assert.rejects(
        sendMessage({ name: 'n', url: url() }, { pubkey: PEER, data: 'x' }, { timeoutMs: 5000, deadlineMs: 300, apiKey: 'sekrit' }),
        (error: Error) => {
          assert.match(error.message, /^No complete answer from 127\.0\.0\.1:\d+ within 300 ms$/);
          return true;
        },
      );
    });

    it('refuses a bad send before any network', async () => {
      handler = (_request, response) => response.end('{"id":"abc"}');
      await assert.rejects(sendMessage({ name: 'n', url: url() }, { pubkey: 'nope', data: 'x' }), OutgoingMessageError);
      await assert.rejects(sendMessage({ name: 'n', url: url() }, { pubkey: PEER, data: 'x', amount: 0 }), OutgoingMessageError);
      assert.deepStrictEqual(requests, []);
    });
  });
});
