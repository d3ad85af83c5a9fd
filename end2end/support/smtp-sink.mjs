// A real SMTP receiver on loopback for the browser tests (nodemailer's
// smtp-server): Firebreak's delivery worker sends stakeholder updates to it,
// and the tests read what arrived from a small HTTP endpoint.
//
//   node support/smtp-sink.mjs SMTP_PORT HTTP_PORT
//   GET http://127.0.0.1:HTTP_PORT/messages  ->  [{ from, to: [...], data }]
import { SMTPServer } from "smtp-server";
import http from "node:http";

const [smtpPort, httpPort] = process.argv.slice(2).map(Number);
const messages = [];

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on("data", (c) => chunks.push(c));
    stream.on("end", () => {
      messages.push({
        from: session.envelope.mailFrom && session.envelope.mailFrom.address,
        to: session.envelope.rcptTo.map((r) => r.address),
        data: Buffer.concat(chunks).toString("utf8"),
      });
      callback(null, "queued");
    });
  },
});
smtp.listen(smtpPort, "127.0.0.1");

http
  .createServer((req, res) => {
    if (req.url === "/messages") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(messages));
    } else {
      res.writeHead(404).end();
    }
  })
  .listen(httpPort, "127.0.0.1");
