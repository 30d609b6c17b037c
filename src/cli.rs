//! The `marketing-apis` command line, built from the generated operation table: one subcommand per platform,
//! one per operation, one flag per path parameter.

use std::fmt::Write as _;
use std::io::{ErrorKind, Read, Write as _};
use std::process::ExitCode;

use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::runtime::cli::{Call, Entry, Failure, Output};
use crate::runtime::{ClientConfig, Transport};

const EXIT_FAILED: u8 = 1;
const EXIT_BAD_INPUT: u8 = 2;

pub fn main() -> ExitCode {
    let table = crate::operation_table();
    let matches = match command(&table).try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_BAD_INPUT } else { 0 });
        }
    };
    match matches.subcommand() {
        Some(("operations", _)) => {
            let mut listing = String::new();
            for entry in &table {
                let spec = entry.spec;
                let _ = writeln!(
                    listing,
                    "{}\t{}\t{}",
                    spec.service.name,
                    spec.cli,
                    bindings(entry).join("\t")
                );
            }
            print_out(&listing)
        }
        Some((platform, sub)) => match sub.subcommand() {
            Some((operation, args)) => {
                let Some(entry) = table
                    .iter()
                    .find(|e| e.spec.service.name == platform && e.spec.cli == operation)
                else {
                    eprintln!("unknown operation {platform} {operation}");
                    return ExitCode::from(EXIT_BAD_INPUT);
                };
                run(entry, args)
            }
            None => ExitCode::from(EXIT_BAD_INPUT),
        },
        None => ExitCode::from(EXIT_BAD_INPUT),
    }
}

fn command(table: &[&'static Entry]) -> Command {
    let mut root = Command::new("marketing-apis")
        .about("Dry-run or send the audience and conversion operations of Batch, Microsoft Advertising and Pinterest")
        .subcommand_required(true)
        .subcommand(Command::new("operations").about("List every generated operation"));
    let mut platforms: Vec<&'static str> = table.iter().map(|e| e.spec.service.name).collect();
    platforms.dedup();
    for platform in platforms {
        let title = table
            .iter()
            .find(|e| e.spec.service.name == platform)
            .map(|e| e.spec.service.title)
            .unwrap_or_default();
        let mut sub = Command::new(platform)
            .about(title)
            .subcommand_required(true);
        for entry in table.iter().filter(|e| e.spec.service.name == platform) {
            sub = sub.subcommand(operation_command(entry));
        }
        root = root.subcommand(sub);
    }
    root
}

/// The operation's command: its wire in the platform's list of commands, and the schema's docs above it in its
/// own help. `--transport`, `--sandbox` and `--server-variable` are offered only where the operation has two
/// bindings, the platform a sandbox, and its server variables.
fn operation_command(entry: &Entry) -> Command {
    let spec = entry.spec;
    let service = spec.service;
    let wires = bindings(entry);
    let wire = match wires.as_slice() {
        // SOAP is the default where an operation has both.
        [rest, soap] => format!("{soap}, or {rest} with --transport rest"),
        wires => wires.join(", "),
    };
    let mut cmd = Command::new(spec.cli)
        .long_about(match spec.docs {
            "" => wire.clone(),
            docs => format!("{docs}\n\n{wire}"),
        })
        .about(wire)
        .arg(
            Arg::new("input")
                .long("input")
                .required(true)
                .value_name("FILE|-")
                .help("The request body as JSON; - reads stdin"),
        );
    if wires.len() > 1 {
        cmd = cmd.arg(
            Arg::new("transport")
                .long("transport")
                .value_parser(["soap", "rest"])
                .help("The wire to use (default: soap)"),
        );
    }
    if let Some(sandbox) = &service.sandbox {
        cmd = cmd.arg(
            Arg::new("sandbox")
                .long("sandbox")
                .action(ArgAction::SetTrue)
                .help(format!("Use the platform's sandbox, {}", sandbox.url)),
        );
    }
    cmd = cmd.arg(
        Arg::new("endpoint")
            .long("endpoint")
            .value_name("URL")
            .help("Replace scheme, host and port of the base URL"),
    );
    let variables = service.production.variables;
    if !variables.is_empty() {
        let listed: Vec<String> = variables
            .iter()
            .map(|(name, default)| format!("{name} (default {default})"))
            .collect();
        cmd = cmd.arg(
            Arg::new("server-variable")
                .long("server-variable")
                .value_name("NAME=VALUE")
                .value_parser(name_and_value)
                .action(ArgAction::Append)
                .help(format!(
                    "Set a variable of the server URL {}: {}; repeatable",
                    service.production.url,
                    listed.join(", ")
                )),
        );
    }
    let credential_env: Vec<&str> = service.credentials.iter().map(|c| c.env).collect();
    cmd = cmd
        .arg(
            Arg::new("root-certificate")
                .long("root-certificate")
                .value_name("PEM")
                .action(ArgAction::Append)
                .help("Also trust the authorities in this PEM file (a TLS-inspecting proxy's); repeatable"),
        )
        .arg(
            Arg::new("send")
                .long("send")
                .action(ArgAction::SetTrue)
                .help(format!(
                    "Send the request instead of printing it, with the credentials in {}",
                    credential_env.join(", ")
                )),
        );
    for param in spec.rest.iter().flat_map(|r| r.path_params) {
        cmd = cmd.arg(
            Arg::new(param.name)
                .long(param.flag)
                .required(true)
                .value_name("VALUE")
                .help(match param.docs.trim_end_matches('.') {
                    "" => format!("The value of {{{}}} in the path", param.name),
                    docs => format!("{docs}: {{{}}} in the path", param.name),
                }),
        );
    }
    cmd
}

/// Writes `text` to stdout. A reader that stops early (`| head`) has what it wanted, so a closed pipe ends the
/// output without an error; any other failure to write one is.
fn print_out(text: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cannot write the output: {e}");
            ExitCode::from(EXIT_FAILED)
        }
    }
}

/// `NAME=VALUE`, split at the first `=`.
fn name_and_value(arg: &str) -> Result<(String, String), String> {
    match arg.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_string(), value.to_string())),
        _ => Err(format!("expected NAME=VALUE, found {arg:?}")),
    }
}

/// How the operation goes on the wire: `POST /path` for REST, then `SOAP Action` for SOAP.
fn bindings(entry: &Entry) -> Vec<String> {
    let spec = entry.spec;
    let mut wires = Vec::new();
    if let (Some(rest), Some(service_rest)) = (&spec.rest, &spec.service.rest) {
        wires.push(format!(
            "{} {}{}",
            rest.method, service_rest.base_path, rest.path
        ));
    }
    if let Some(soap) = &spec.soap {
        wires.push(format!("SOAP {}", soap.action));
    }
    wires
}

fn run(entry: &Entry, args: &ArgMatches) -> ExitCode {
    let input = args
        .get_one::<String>("input")
        .map(String::as_str)
        .unwrap_or("-");
    let body = match read_input(input) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot read --input {input}: {e}");
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let path_params = entry
        .spec
        .rest
        .iter()
        .flat_map(|r| r.path_params)
        .map(|p| args.get_one::<String>(p.name).cloned().unwrap_or_default())
        .collect();
    let mut root_certificates = Vec::new();
    for file in args
        .get_many::<String>("root-certificate")
        .into_iter()
        .flatten()
    {
        match std::fs::read_to_string(file) {
            Ok(pem) => root_certificates.push(pem),
            Err(e) => {
                eprintln!("cannot read --root-certificate {file}: {e}");
                return ExitCode::from(EXIT_BAD_INPUT);
            }
        }
    }
    let config = ClientConfig {
        // Absent where the command does not offer it.
        sandbox: matches!(args.try_get_one::<bool>("sandbox"), Ok(Some(true))),
        endpoint: args.get_one::<String>("endpoint").cloned(),
        transport: args
            .try_get_one::<String>("transport")
            .ok()
            .flatten()
            .map(|t| {
                if t == "rest" {
                    Transport::Rest
                } else {
                    Transport::Soap
                }
            }),
        server_variables: args
            .try_get_many::<(String, String)>("server-variable")
            .ok()
            .flatten()
            .into_iter()
            .flatten()
            .cloned()
            .collect(),
        root_certificates,
        ..ClientConfig::default()
    };
    let call = Call {
        body,
        path_params,
        config,
        send: args.get_flag("send"),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::from(EXIT_FAILED);
        }
    };
    match runtime.block_on((entry.run)(call)) {
        Ok(Output::DryRun(request)) => print_out(&format!("{request}\n")),
        Ok(Output::Response {
            body,
            tracking_id,
            attempts,
        }) => {
            if let Some(id) = tracking_id {
                eprintln!("tracking id: {id}");
            }
            if attempts > 1 {
                eprintln!("succeeded on attempt {attempts}");
            }
            let pretty = serde_json::to_string_pretty(&body).unwrap_or_else(|_| body.to_string());
            print_out(&format!("{pretty}\n"))
        }
        Err(Failure::BadInput(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(EXIT_BAD_INPUT)
        }
        Err(Failure::Failed(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(EXIT_FAILED)
        }
    }
}

fn read_input(input: &str) -> std::io::Result<Vec<u8>> {
    if input == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf)?;
        Ok(buf)
    } else {
        std::fs::read(input)
    }
}
