//! How the host sends its workers' outgoing `wasi:http` requests: over plain HTTP/1.1. `https`
//! requests fail with an internal error saying so: the local host carries no TLS stack.

use std::future::Future;
use std::time::Duration;

use http::uri::Scheme;
use http_body_util::BodyExt as _;
use wasmtime_wasi_http::io::TokioIo;
use wasmtime_wasi_http::{Error, RequestOptions, WasiBody, WasiHttpHooks};

/// How long a connection may take when the guest sets no timeout.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(60);

/// Sends a worker's outgoing requests (see the module docs).
#[derive(Default)]
pub(crate) struct PlainHttp;

type Io = Box<dyn Future<Output = Result<(), Error>> + Send>;

impl WasiHttpHooks for PlainHttp {
    fn send_request(
        &mut self,
        request: http::Request<WasiBody>,
        options: Option<RequestOptions>,
        _io: Io,
    ) -> Box<dyn Future<Output = Result<(http::Response<WasiBody>, Io), Error>> + Send> {
        Box::new(send(request, options))
    }
}

async fn send(
    mut request: http::Request<WasiBody>,
    options: Option<RequestOptions>,
) -> Result<(http::Response<WasiBody>, Io), Error> {
    let uri = request.uri();
    if uri.scheme() == Some(&Scheme::HTTPS) {
        return Err(Error::InternalError(Some(format!(
            "cannot send {uri}: the local golem-rpc host sends plain HTTP only (no TLS)"
        ))));
    }
    let authority = uri.authority().ok_or(Error::HttpRequestUriInvalid)?;
    let address = match authority.port() {
        Some(_) => authority.to_string(),
        None => format!("{authority}:80"),
    };
    let connect_timeout = options
        .and_then(|o| o.connect_timeout)
        .unwrap_or(CONNECT_TIMEOUT);
    let stream = tokio::time::timeout(connect_timeout, tokio::net::TcpStream::connect(&address))
        .await
        .map_err(|_| Error::ConnectionTimeout)?
        .map_err(Error::Connect)?;
    let (mut sender, connection) = hyper::client::conn::http1::Builder::new()
        .handshake(TokioIo::new(stream))
        .await?;
    let connection = tokio::spawn(connection);
    // An HTTP/1.1 request line carries the path and query; the host is in the `Host` header.
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    *request.uri_mut() = http::Uri::builder()
        .path_and_query(path)
        .build()
        .map_err(|_| Error::HttpRequestUriInvalid)?;
    let response = sender.send_request(request).await?;
    let response = response.map(|body| body.map_err(Error::from).boxed_unsync());
    let io: Io = Box::new(async move {
        match connection.await {
            Ok(done) => done.map_err(Error::from),
            Err(err) => Err(Error::InternalError(Some(err.to_string()))),
        }
    });
    Ok((response, io))
}
