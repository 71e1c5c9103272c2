/** Baseline for ingest: Express hello-world that parses the same JSON body and answers 202. */
import express from 'express';

const port = Number(process.argv[2]);
const app = express();
app.use(express.json());
app.post('/jobs', (req, res) => {
  res
    .status(202)
    .json({ job: { id: 'hello', status: 'queued', roomId: (req.body as { roomId?: string }).roomId } });
});
app.listen(port, '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => process.exit(0));
