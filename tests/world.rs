//! The rest of a Golem 1.0/1.1 worker's world in the local host, end to end through
//! `worker-probe` (golem-rust 1.1's bindings): outgoing `wasi:http` to a server on the loopback
//! interface, `wasi:keyvalue` shared by workers and kept across hosts in a data directory,
//! `wasi:blobstore`, `wasi:logging` by level, and each worker's own stdout and stderr.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;

use golem_rpc_host::{Host, LogLevel, LogLine, Output};
use golem_rpc_tests::artifacts;

const API: &str = "test:worker-probe/api";

fn probe(host: &Host) {
    host.add_component_file("p", &artifacts()["worker-probe"])
        .unwrap();
}

fn call(host: &Host, worker: &str, function: &str, args: &[&str]) -> String {
    host.call_wave("p", worker, &format!("{API}.{{{function}}}"), args)
        .unwrap_or_else(|e| panic!("{function}: {e:#}"))
        .join(", ")
}

fn scratch_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "golem-rpc-world-{}",
        golem_rpc_host::Uuid::new_v4()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A server on 127.0.0.1 that answers `requests` GETs with the request's path, then stops.
fn http_server(requests: usize) -> (String, std::thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let server = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for stream in listener.incoming().take(requests) {
            let mut stream = stream.unwrap();
            // Bounded: a client that never closes cannot hold the test.
            stream
                .set_read_timeout(Some(std::time::Duration::from_secs(10)))
                .unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            reader.read_line(&mut request_line).unwrap();
            let mut headers = Vec::new();
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line.trim().is_empty() {
                    break;
                }
                headers.push(line.trim().to_ascii_lowercase());
            }
            let path = request_line.split(' ').nth(1).unwrap_or("").to_string();
            let body = format!("you asked for {path}");
            write!(
                stream,
                "HTTP/1.1 201 Created\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            )
            .unwrap();
            let host = headers.iter().find(|h| h.starts_with("host:")).cloned();
            seen.push(format!(
                "{request_line_trimmed} {}",
                host.unwrap_or_default(),
                request_line_trimmed = request_line.trim()
            ));
            let _ = stream.read(&mut [0; 1]);
        }
        seen
    });
    (address, server)
}

#[test]
fn outgoing_http_reaches_a_local_server() {
    let host = Host::new().unwrap();
    probe(&host);
    let (address, server) = http_server(2);
    assert_eq!(
        call(
            &host,
            "h1",
            "http-get",
            &[&format!("\"http://{address}/items?id=7\"")]
        ),
        r#"ok((201, "you asked for /items?id=7"))"#
    );
    assert_eq!(
        call(
            &host,
            "h2",
            "http-get",
            &[&format!("\"http://{address}/\"")]
        ),
        r#"ok((201, "you asked for /"))"#
    );
    let seen = server.join().unwrap();
    assert_eq!(
        seen,
        [
            format!("GET /items?id=7 HTTP/1.1 host: {address}"),
            format!("GET / HTTP/1.1 host: {address}"),
        ]
    );
    // Nothing listens there: the guest gets wasi:http's error code, the host goes on.
    let refused = call(&host, "h1", "http-get", &["\"http://127.0.0.1:1/\""]);
    assert_eq!(refused, r#"err("ErrorCode::ConnectionRefused")"#);
    let tls = call(
        &host,
        "h1",
        "http-get",
        &[&format!("\"https://{address}/\"")],
    );
    assert!(tls.contains("plain HTTP only"), "{tls}");
}

#[test]
fn key_values_are_shared_by_workers_and_outlive_the_host_in_a_data_directory() {
    let dir = scratch_dir();
    {
        let host = Host::with_data_dir(&dir).unwrap();
        probe(&host);
        call(&host, "w1", "kv-set", &[r#""b1""#, r#""k""#, "[1, 2, 3]"]);
        call(&host, "w1", "kv-set", &[r#""b2""#, r#""k""#, "[9]"]);
        call(&host, "w1", "kv-set", &[r#""b1""#, r#""gone""#, "[0]"]);
        // Another worker sees them; buckets do not mix.
        assert_eq!(
            call(&host, "w2", "kv-get", &[r#""b1""#, r#""k""#]),
            "some([1, 2, 3])"
        );
        assert_eq!(
            call(&host, "w2", "kv-get", &[r#""b2""#, r#""k""#]),
            "some([9])"
        );
        assert_eq!(
            call(&host, "w2", "kv-exists", &[r#""b1""#, r#""gone""#]),
            "true"
        );
        call(&host, "w2", "kv-delete", &[r#""b1""#, r#""gone""#]);
        call(&host, "w2", "kv-delete", &[r#""b1""#, r#""never-there""#]);
        assert_eq!(
            call(&host, "w1", "kv-exists", &[r#""b1""#, r#""gone""#]),
            "false"
        );
        assert_eq!(
            call(&host, "w1", "kv-get", &[r#""b1""#, r#""gone""#]),
            "none"
        );
        assert_eq!(
            call(&host, "w1", "kv-batch", &[r#""b1""#, r#"["nope", "k"]"#]),
            r#"(["k"], [none, some([1, 2, 3])])"#
        );
    }
    // A new host on the same directory: the values are there.
    let host = Host::with_data_dir(&dir).unwrap();
    probe(&host);
    assert_eq!(
        call(&host, "w3", "kv-get", &[r#""b1""#, r#""k""#]),
        "some([1, 2, 3])"
    );
    assert_eq!(
        call(&host, "w3", "kv-get", &[r#""b2""#, r#""k""#]),
        "some([9])"
    );
    assert_eq!(
        call(&host, "w3", "kv-exists", &[r#""b1""#, r#""gone""#]),
        "false"
    );
    // Without a directory, nothing is shared between hosts.
    let memory = Host::new().unwrap();
    probe(&memory);
    assert_eq!(
        call(&memory, "w3", "kv-get", &[r#""b1""#, r#""k""#]),
        "none"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn blob_containers_and_objects() {
    let dir = scratch_dir();
    let expected = concat!(
        r#"["exists before: Ok(false)", "name: Ok(\"box\")", "#,
        r#""objects: Ok(([\"a.txt\", \"b.txt\"], true))", "a.txt[6..]: \"blob\"", "#,
        r#""b.txt size: Ok(6)", "missing: Some(\"Object does not exist\")", "#,
        r#""after copy, move, delete: Ok(([\"c.txt\", \"d.txt\"], true))", "#,
        r#""get-container of a missing one: Some(\"Container not found\")"]"#
    );
    for host in [Host::new().unwrap(), Host::with_data_dir(&dir).unwrap()] {
        probe(&host);
        assert_eq!(call(&host, "b1", "blob-demo", &[r#""box""#]), expected);
        assert_eq!(
            call(&host, "b2", "blob-get", &[r#""box""#, r#""c.txt""#]),
            format!("some({:?})", b"hello blob".to_vec())
        );
        assert_eq!(
            call(&host, "b2", "blob-get", &[r#""box""#, r#""a.txt""#]),
            "none"
        );
    }
    let restarted = Host::with_data_dir(&dir).unwrap();
    probe(&restarted);
    assert_eq!(
        call(&restarted, "b3", "blob-get", &[r#""box""#, r#""d.txt""#]),
        format!("some({:?})", b"second".to_vec())
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn log_lines_by_level_and_each_workers_own_output() {
    let host = Host::new().unwrap();
    probe(&host);
    host.set_output(Output::Capture);
    host.set_log_level(LogLevel::Info);
    for (worker, level) in [
        ("l1", "debug"),
        ("l1", "info"),
        ("l1", "critical"),
        ("l2", "warn"),
    ] {
        call(
            &host,
            worker,
            "log",
            &[&format!("{level:?}"), r#""ctx""#, &format!("{level:?}")],
        );
    }
    call(&host, "l1", "print", &[r#""out one""#, r#""err one""#]);
    call(&host, "l2", "print", &[r#""out two""#, r#""err two""#]);
    let line = |level, message: &str| LogLine {
        level,
        context: "ctx".to_string(),
        message: message.to_string(),
    };
    let l1 = host.worker_output("p", "l1");
    assert_eq!(
        l1.logs,
        [
            line(LogLevel::Info, "info"),
            line(LogLevel::Critical, "critical")
        ]
    );
    assert_eq!(l1.stdout, b"out one\n");
    assert_eq!(l1.stderr, b"err one\n");
    let l2 = host.worker_output("p", "l2");
    assert_eq!(l2.logs, [line(LogLevel::Warn, "warn")]);
    assert_eq!(l2.stdout, b"out two\n");
    host.set_log_level(LogLevel::Trace);
    call(&host, "l2", "log", &[r#""trace""#, r#""ctx""#, r#""fine""#]);
    assert_eq!(host.worker_output("p", "l2").logs.len(), 2);
}
