//! A real SMTP receiver on loopback for the delivery tests: it speaks enough
//! of RFC 5321 for lettre (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), keeps
//! every message it accepts, and can be told to refuse recipients.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One accepted message.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// The DATA section, dot-unstuffed, CRLF line ends.
    pub data: String,
}

/// How the sink answers RCPT TO.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Accept,
    /// 451: try again later.
    Defer,
    /// 550: no such mailbox.
    Reject,
}

#[derive(Clone)]
pub struct SmtpSink {
    pub addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    mode: Arc<Mutex<Mode>>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind SMTP sink");
        let sink = SmtpSink {
            addr: listener.local_addr().expect("address"),
            received: Arc::default(),
            mode: Arc::new(Mutex::new(Mode::Accept)),
        };
        let s = sink.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let s = s.clone();
                tokio::spawn(async move {
                    let _ = s.session(socket).await;
                });
            }
        });
        sink
    }

    /// lettre's URL for this sink (plain SMTP, no TLS, loopback only).
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    pub fn set_mode(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    async fn session(&self, socket: tokio::net::TcpStream) -> std::io::Result<()> {
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read);
        write.write_all(b"220 sink.test ESMTP\r\n").await?;
        let mut from = String::new();
        let mut to = Vec::new();
        let mut line = String::new();
        loop {
            line.clear();
            if lines.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let command = line.trim_end().to_owned();
            let upper = command.to_ascii_uppercase();
            let reply: String = if upper.starts_with("EHLO") {
                "250-sink.test\r\n250 8BITMIME".into()
            } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
                "250 OK".into()
            } else if upper.starts_with("MAIL FROM:") {
                from = angle(&command);
                to.clear();
                "250 OK".into()
            } else if upper.starts_with("RCPT TO:") {
                match *self.mode.lock().unwrap() {
                    Mode::Accept => {
                        to.push(angle(&command));
                        "250 OK".into()
                    }
                    Mode::Defer => "451 4.3.0 try again later".into(),
                    Mode::Reject => "550 5.1.1 no such mailbox".into(),
                }
            } else if upper == "DATA" {
                if to.is_empty() {
                    "503 5.5.1 no recipients".into()
                } else {
                    write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
                    let mut data = String::new();
                    loop {
                        line.clear();
                        if lines.read_line(&mut line).await? == 0 {
                            return Ok(());
                        }
                        if line == ".\r\n" || line == ".\n" {
                            break;
                        }
                        data.push_str(line.strip_prefix('.').unwrap_or(&line));
                    }
                    self.received.lock().unwrap().push(Received {
                        from: from.clone(),
                        to: std::mem::take(&mut to),
                        data,
                    });
                    "250 OK queued".into()
                }
            } else if upper.starts_with("RSET") {
                from.clear();
                to.clear();
                "250 OK".into()
            } else if upper.starts_with("QUIT") {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            } else {
                "502 5.5.2 not implemented".into()
            };
            write.write_all(format!("{reply}\r\n").as_bytes()).await?;
        }
    }
}

/// The address between `<` and `>` of a MAIL or RCPT command.
fn angle(command: &str) -> String {
    command.split_once('<').and_then(|(_, rest)| rest.split_once('>')).map(|(a, _)| a.to_owned()).unwrap_or_default()
}
