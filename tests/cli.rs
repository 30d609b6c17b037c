//! The `marketing-apis` binary: dry run, send, bad input and exit codes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const REST_KEY: &str = "cli-test-rest-key";

fn cli(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_marketing-apis"));
    command.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
    for name in [
        "BATCH_REST_KEY",
        "BATCH_PROJECT_KEY",
        "PINTEREST_ACCESS_TOKEN",
        "MSADS_ACCESS_TOKEN",
        "MSADS_DEVELOPER_TOKEN",
    ] {
        command.env_remove(name);
    }
    command.envs(env.iter().copied());
    command.output().expect("the binary runs")
}

/// `contents` in a file of this test binary's own scratch folder, for the binary to read.
fn scratch_file(name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("marketing-apis-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let file = dir.join(name);
    std::fs::write(&file, contents).expect("write scratch file");
    file
}

/// Runs the binary off the async runtime, so the loopback server keeps answering.
async fn cli_async(args: Vec<String>, env: Vec<(String, String)>) -> Output {
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        cli(&args, &env)
    })
    .await
    .expect("the blocking task completes")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn operations_lists_every_generated_operation() {
    let out = cli(&["operations"], &[]);
    assert!(out.status.success());
    let listing = text(&out.stdout);
    assert!(
        listing
            .lines()
            .any(|l| l == "batch\taudience-update\tPOST /audiences/update"),
        "{listing}"
    );
}

/// The operation of the project's schemas that has `id`, as the generator loads it.
fn schema_operation(id: &str) -> marketing_apis_codegen::ir::Operation {
    let api = marketing_apis_codegen::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas"))
        .expect("the schemas load");
    api.services
        .into_iter()
        .flat_map(|s| s.operations)
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

#[test]
fn an_operations_help_gives_its_docs_and_bindings_and_offers_only_what_its_platform_has() {
    let help = |args: &[&str]| {
        let out = cli(args, &[]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    // The short help gives the wire, the long one the schema's docs above it.
    let wire =
        "SOAP UpdateAudiences, or PUT /CampaignManagement/v13/Audiences with --transport rest\n";
    let short = help(&["microsoft", "update-audiences", "-h"]);
    assert!(short.starts_with(wire), "{short}");
    let microsoft = help(&["microsoft", "update-audiences", "--help"]);
    let docs = schema_operation("UpdateAudiences").docs;
    assert!(!docs.is_empty());
    assert!(
        microsoft.starts_with(&format!("{docs}\n\n{wire}")),
        "{microsoft}"
    );
    let listing = help(&["microsoft", "--help"]);
    assert!(
        listing.lines().any(
            |l| l.trim_start().starts_with("update-audiences ") && l.ends_with(wire.trim_end())
        ),
        "{listing}"
    );
    assert!(microsoft.contains("--transport <transport>"), "{microsoft}");
    assert!(
        microsoft.contains(
            "Use the platform's sandbox, https://campaign.api.sandbox.bingads.microsoft.com"
        ),
        "{microsoft}"
    );
    assert!(!microsoft.contains("--server-variable"), "{microsoft}");
    assert!(
        microsoft.contains("with the credentials in MSADS_ACCESS_TOKEN, MSADS_CUSTOMER_ACCOUNT_ID, MSADS_CUSTOMER_ID, MSADS_DEVELOPER_TOKEN"),
        "{microsoft}"
    );

    // Batch has one binding, no sandbox, and a server variable.
    let batch = help(&["batch", "audience-update", "--help"]);
    let docs = schema_operation("audience_update").docs;
    assert!(
        batch.starts_with(&format!("{docs}\n\nPOST /audiences/update\n")),
        "{batch}"
    );
    assert!(!batch.contains("--transport"), "{batch}");
    assert!(!batch.contains("--sandbox"), "{batch}");
    assert!(
        batch.contains("with the credentials in BATCH_PROJECT_KEY, BATCH_REST_KEY"),
        "{batch}"
    );
    assert!(
        batch.contains("https://api.batch.com/{version}: version (default 2.11)"),
        "{batch}"
    );
    let out = cli(
        &[
            "batch",
            "audience-update",
            "--input",
            "examples/batch-audience-update.json",
            "--transport",
            "rest",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));

    // A path parameter's option says what it identifies, from the schema.
    let pinterest = help(&["pinterest", "audiences-update", "--help"]);
    let rest = schema_operation("audiences/update")
        .rest
        .expect("a REST binding");
    assert_eq!(rest.path_params.len(), 2);
    for param in &rest.path_params {
        assert!(!param.docs.is_empty(), "{}", param.name);
        let expected = format!(
            "{}: {{{}}} in the path",
            param.docs.trim_end_matches('.'),
            param.name
        );
        assert!(pinterest.contains(&expected), "{expected}: {pinterest}");
    }
}

#[test]
fn dry_run_prints_the_exact_request_with_secrets_redacted() {
    let out = cli(
        &[
            "batch",
            "audience-update",
            "--input",
            "examples/batch-audience-update.json",
        ],
        &[
            ("BATCH_REST_KEY", REST_KEY),
            ("BATCH_PROJECT_KEY", "project_1"),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    let mut lines = printed.lines();
    assert_eq!(
        lines.next(),
        Some("POST https://api.batch.com/2.11/audiences/update")
    );
    let headers: Vec<&str> = lines.by_ref().take_while(|l| !l.is_empty()).collect();
    assert_eq!(
        headers,
        [
            "Authorization: <redacted>",
            "X-Batch-Project: project_1",
            "Content-Type: application/json",
            "Accept: application/json"
        ]
    );
    let body: serde_json::Value =
        serde_json::from_str(lines.next().expect("a body line")).expect("JSON body");
    let example: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("examples/batch-audience-update.json").expect("example"),
    )
    .expect("JSON");
    assert_eq!(body, example);
    assert!(!printed.contains(REST_KEY));
}

#[test]
fn dry_run_needs_no_credentials() {
    let out = cli(
        &[
            "batch",
            "audience-update",
            "--input",
            "examples/batch-audience-update.json",
        ],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("X-Batch-Project: <unset: BATCH_PROJECT_KEY>"));
}

#[test]
fn the_top_level_help_gives_each_platform_its_own_title() {
    let out = cli(&["--help"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let help = text(&out.stdout);
    for (platform, title) in [
        ("batch", "Batch - REST API"),
        ("microsoft", "Microsoft Advertising Campaign Management v13"),
        ("pinterest", "Pinterest API v5"),
    ] {
        assert!(
            help.lines().any(|l| l
                .trim_start()
                .strip_prefix(platform)
                .is_some_and(|rest| rest.trim_start() == title)),
            "{platform}: {help}"
        );
    }
}

/// `--sandbox` moves either transport to the sandbox's host, keeping the path.
#[test]
fn sandbox_sends_to_the_platforms_sandbox() {
    let sandbox = "https://campaign.api.sandbox.bingads.microsoft.com";
    for (transport, request_line) in [
        (
            "soap",
            format!(
                "POST {sandbox}/Api/Advertiser/CampaignManagement/v13/CampaignManagementService.svc\n"
            ),
        ),
        (
            "rest",
            format!("PUT {sandbox}/CampaignManagement/v13/Audiences\n"),
        ),
    ] {
        let out = cli(
            &[
                "microsoft",
                "update-audiences",
                "--input",
                "examples/microsoft-update-audiences.json",
                "--transport",
                transport,
                "--sandbox",
            ],
            &[],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        let printed = text(&out.stdout);
        assert!(printed.starts_with(&request_line), "{transport}: {printed}");
    }
}

/// The README's example commands, each on its example input: the request line, and for Microsoft's the
/// `KeyValuePair` that the input spells in lower case (`key`, `value`), as Microsoft's own JSON does.
#[test]
fn the_readme_examples_dry_run() {
    let cases: [(&[&str], &str, &str); 3] = [
        (
            &[
                "batch",
                "audience-update",
                "--input",
                "examples/batch-audience-update.json",
            ],
            "POST https://api.batch.com/2.11/audiences/update\n",
            r#""action":"add""#,
        ),
        (
            &[
                "pinterest",
                "audiences-update",
                "--ad-account-id",
                "549755885175",
                "--audience-id",
                "2542620639259",
                "--input",
                "examples/pinterest-audience-update.json",
            ],
            "PATCH https://api.pinterest.com/v5/ad_accounts/549755885175/audiences/2542620639259\n",
            r#""operation_type":"UPDATE""#,
        ),
        (
            &[
                "microsoft",
                "update-audiences",
                "--input",
                "examples/microsoft-update-audiences.json",
                "--transport",
                "rest",
            ],
            "PUT https://campaign.api.bingads.microsoft.com/CampaignManagement/v13/Audiences\n",
            r#""ForwardCompatibilityMap":[{"Key":"k","Value":"v"}]"#,
        ),
    ];
    for (args, request_line, in_body) in cases {
        let out = cli(args, &[]);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        let printed = text(&out.stdout);
        assert!(printed.starts_with(request_line), "{args:?}: {printed}");
        assert!(printed.contains(in_body), "{args:?}: {printed}");
    }
}

/// A `null` stands for a value left out, as the schemas' optional fields allow: it is not an unknown field.
#[test]
fn a_null_optional_field_is_input_the_model_takes() {
    let file = scratch_file(
        "null.json",
        r#"{"name":"a","ids":[{"action":"remove","id":"x","attributes":null}]}"#,
    );
    let out = cli(
        &[
            "batch",
            "audience-update",
            "--input",
            file.to_str().expect("UTF-8 path"),
        ],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout)
            .trim_end()
            .ends_with(r#"{"name":"a","ids":[{"action":"remove","id":"x"}]}"#),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn server_variables_set_the_url_and_an_undeclared_one_is_bad_input() {
    let with = |variable: &str| {
        cli(
            &[
                "batch",
                "audience-update",
                "--input",
                "examples/batch-audience-update.json",
                "--server-variable",
                variable,
            ],
            &[],
        )
    };
    let out = with("version=2.13");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("POST https://api.batch.com/2.13/audiences/update\n"),
        "{}",
        text(&out.stdout)
    );
    for (variable, expected) in [
        ("verison=2.13", "the server declares no such variable"),
        ("version", "expected NAME=VALUE"),
        ("=2.13", "expected NAME=VALUE"),
    ] {
        let out = with(variable);
        assert_eq!(out.status.code(), Some(2), "{variable}");
        assert!(
            text(&out.stderr).contains(expected),
            "{}",
            text(&out.stderr)
        );
        assert!(
            out.stdout.is_empty(),
            "no request is printed for {variable}"
        );
    }
}

#[test]
fn bad_input_exits_2_and_prints_no_request() {
    let cases = [
        ("not json", "invalid JSON"),
        (
            r#"{"name":"a","ids":[{"action":"add","id":"x","colour":"red"}]}"#,
            "`ids[0].colour`: unknown field",
        ),
        (
            r#"{"name":"a","ids":[{"action":"add","id":7}]}"#,
            "ids[0].id",
        ),
        (
            r#"{"name":"a","ids":[{"action":"remove","id":"x","attributes":{"a":1}}]}"#,
            "`ids[0].attributes`: only allowed",
        ),
        (r#"{"ids":[]}"#, "missing field `name`"),
    ];
    for (i, (input, expected)) in cases.iter().enumerate() {
        let file = scratch_file(&format!("case{i}.json"), input);
        for send in [false, true] {
            let mut args = vec![
                "batch",
                "audience-update",
                "--input",
                file.to_str().expect("UTF-8 path"),
            ];
            if send {
                args.extend(["--send", "--endpoint", "http://127.0.0.1:9"]);
            }
            let out = cli(
                &args,
                &[("BATCH_REST_KEY", REST_KEY), ("BATCH_PROJECT_KEY", "p")],
            );
            assert_eq!(out.status.code(), Some(2), "case {i} (send: {send})");
            assert!(out.stdout.is_empty(), "case {i} printed a request");
            assert!(
                text(&out.stderr).contains(expected),
                "case {i}: {}",
                text(&out.stderr)
            );
        }
    }
}

#[test]
fn an_unknown_subcommand_or_flag_exits_2() {
    assert_eq!(
        cli(&["batch", "audience-delete", "--input", "-"], &[])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        cli(&["batch", "audience-update"], &[]).status.code(),
        Some(2)
    );
    assert_eq!(
        cli(
            &["batch", "audience-update", "--input", "x.json", "--sandbox"],
            &[]
        )
        .status
        .code(),
        Some(2)
    );
}

#[test]
fn plain_http_to_a_remote_host_is_refused() {
    let out = cli(
        &send_batch_example_args("http://192.0.2.1"),
        &[("BATCH_REST_KEY", REST_KEY), ("BATCH_PROJECT_KEY", "p")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("plain http is refused"),
        "{}",
        text(&out.stderr)
    );
}

/// The arguments that send the Batch example to `endpoint`.
fn send_batch_example_args(endpoint: &str) -> Vec<&str> {
    vec![
        "batch",
        "audience-update",
        "--input",
        "examples/batch-audience-update.json",
        "--send",
        "--endpoint",
        endpoint,
    ]
}

/// Runs the Batch example with `--send` against `server`.
async fn send_batch_example(server: &MockServer) -> Output {
    send_batch_example_with(server, &[]).await
}

/// The same, with more variables in the binary's environment.
async fn send_batch_example_with(server: &MockServer, more_env: &[(&str, &str)]) -> Output {
    let uri = server.uri();
    let args = send_batch_example_args(&uri)
        .into_iter()
        .map(String::from)
        .collect();
    let mut env = vec![
        ("BATCH_REST_KEY".into(), REST_KEY.into()),
        ("BATCH_PROJECT_KEY".into(), "p".into()),
    ];
    env.extend(more_env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    cli_async(args, env).await
}

/// Mounts Batch's answer to the example's call, expected once: 202 with `token` as the indexing token.
async fn mount_accepted(server: &MockServer, token: &str) {
    Mock::given(method("POST"))
        .and(path("/2.11/audiences/update"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"indexing_token": token})))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_proxy_in_the_environment_does_not_carry_calls_to_a_loopback_endpoint() {
    let server = MockServer::start().await;
    mount_accepted(&server, "tok-1").await;
    // A proxy nothing listens on: a call sent through it could not connect.
    let proxy = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        format!("http://{}", listener.local_addr().expect("address"))
    };
    let proxies = [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ]
    .map(|name| (name, proxy.as_str()));
    let out = send_batch_example_with(&server, &proxies).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[tokio::test]
async fn send_prints_the_decoded_response_and_exits_0() {
    let server = MockServer::start().await;
    mount_accepted(&server, "tok-1").await;
    let out = send_batch_example(&server).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(printed, json!({"indexing_token": "tok-1"}));
    // Batch gives no tracking id, and the first attempt succeeded: nothing to add.
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

#[tokio::test]
async fn a_success_after_a_retry_says_on_which_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    mount_accepted(&server, "tok-2").await;
    let out = send_batch_example(&server).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "succeeded on attempt 2\n");
}

#[tokio::test]
async fn an_api_error_exits_1_with_the_platform_code() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error_message": "The Rest API Key is not valid", "error_code": "AUTHENTICATION_INVALID"})))
        .mount(&server)
        .await;
    let out = send_batch_example(&server).await;
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("HTTP 401") && stderr.contains("AUTHENTICATION_INVALID"),
        "{stderr}"
    );
    assert!(!stderr.contains(REST_KEY));
}

#[test]
fn send_without_credentials_exits_2_naming_the_variable() {
    // Unset, or set but empty: either way the credential is missing.
    for (env, missing) in [
        (&[][..], "BATCH_"),
        (
            &[("BATCH_PROJECT_KEY", "project"), ("BATCH_REST_KEY", "")][..],
            "BATCH_REST_KEY",
        ),
    ] {
        let out = cli(&send_batch_example_args("http://127.0.0.1:9"), env);
        assert_eq!(out.status.code(), Some(2), "{env:?}");
        assert!(
            text(&out.stderr).contains(missing),
            "{env:?}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn more_than_100_microsoft_items_exit_2_on_either_transport_and_send_nothing() {
    let audiences: Vec<serde_json::Value> = (0..101)
        .map(|n| serde_json::json!({"Type": "Custom", "Id": n.to_string()}))
        .collect();
    let file = scratch_file(
        "audiences.json",
        serde_json::json!({ "Audiences": audiences }).to_string(),
    );
    let env = [
        ("MSADS_ACCESS_TOKEN", "a"),
        ("MSADS_DEVELOPER_TOKEN", "d"),
        ("MSADS_CUSTOMER_ID", "1"),
        ("MSADS_CUSTOMER_ACCOUNT_ID", "2"),
    ];
    for transport in ["soap", "rest"] {
        for send in [false, true] {
            let mut args = vec![
                "microsoft",
                "update-audiences",
                "--input",
                file.to_str().expect("UTF-8 path"),
                "--transport",
                transport,
            ];
            // Nothing listens on port 9: a request that got out would fail with exit 1, not 2.
            if send {
                args.extend(["--send", "--endpoint", "http://127.0.0.1:9"]);
            }
            let out = cli(&args, &env);
            assert_eq!(out.status.code(), Some(2), "{transport} (send: {send})");
            assert!(out.stdout.is_empty());
            assert!(
                text(&out.stderr).contains("Audiences") && text(&out.stderr).contains("100"),
                "{}",
                text(&out.stderr)
            );
        }
    }
}

#[test]
fn root_certificates_are_read_from_files_and_a_bad_one_is_bad_input() {
    let authority = rcgen::generate_simple_self_signed(vec!["proxy.test".to_string()])
        .expect("certificate")
        .cert
        .pem();
    let good = scratch_file("authority.pem", authority);
    let bad = scratch_file("not.pem", "not a certificate");
    let dry_run = |certificate: &std::path::Path| {
        cli(
            &[
                "batch",
                "audience-update",
                "--input",
                "examples/batch-audience-update.json",
                "--root-certificate",
                certificate.to_str().expect("UTF-8 path"),
            ],
            &[],
        )
    };
    let out = dry_run(&good);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("POST https://api.batch.com/"));

    let out = dry_run(&bad);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("a root certificate holds no PEM certificate"),
        "{}",
        text(&out.stderr)
    );

    let out = dry_run(&good.with_file_name("missing.pem"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("cannot read --root-certificate"),
        "{}",
        text(&out.stderr)
    );
}

/// `marketing-apis ... | head -1`: the reader goes away before the request is printed, which ends the output
/// quietly rather than in a panic. The binary reads its input from stdin, which is written only once the
/// reader has gone, so the print always meets the closed pipe.
#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_marketing-apis"))
        .args(["batch", "audience-update", "--input", "-"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    drop(child.stdout.take());
    let body = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/batch-audience-update.json"),
    )
    .expect("the example");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&body)
        .expect("the binary reads its input");
    let out = child.wait_with_output().expect("the binary ends");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

/// A failure to write the output other than a closed pipe (here a full disk) is one: exit 1 with the reason.
#[cfg(target_os = "linux")]
#[test]
fn an_output_that_cannot_be_written_exits_1() {
    let out = Command::new(env!("CARGO_BIN_EXE_marketing-apis"))
        .args([
            "batch",
            "audience-update",
            "--input",
            "examples/batch-audience-update.json",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::fs::File::create("/dev/full").expect("/dev/full"))
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).starts_with("cannot write the output: "),
        "{}",
        text(&out.stderr)
    );
}
