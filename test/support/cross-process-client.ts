import { execFile } from 'node:child_process';

const CLIENT = `
const http = require('node:http');
const req = http.get(process.argv[1], { agent: false }, (res) => {
  res.resume();
  res.on('end', () => { process.stdout.write(JSON.stringify({ status: res.statusCode, receivedAt: Date.now() })); });
});
req.on('error', (e) => { console.error(e); process.exit(1); });
`;

/** GETs `url` from another Node process, so a blocked event loop here cannot slow the client down. */
export function getFromOtherProcess(url: string): Promise<{ status: number; receivedAt: number }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', CLIENT, url], (error, stdout) => {
      if (error) reject(error);
      else resolve(JSON.parse(stdout) as { status: number; receivedAt: number });
    });
  });
}
