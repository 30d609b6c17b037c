//! The service description the runtime reads, the error body's place in it, the typed client, one marker type
//! per operation, and the table the command-line tool is built from.

use heck::ToKebabCase;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::validate::limits_expr;
use super::{docs, ident, soap};
use crate::ir::*;
use crate::load::{bare, rust_type_name};

pub fn emit(service: &Service) -> TokenStream {
    let spec = service_spec(service);
    let fault = fault(service);
    let credentials = credentials(service);
    let client = client(service);
    let markers = service
        .operations
        .iter()
        .enumerate()
        .map(|(index, op)| marker(service, index, op));
    let entries = service.operations.iter().map(|op| {
        let marker = ident(&rust_type_name(&op.id));
        quote! { rt::cli::Entry::of::<operations::#marker>() }
    });
    quote! {
        use crate::runtime as rt;

        #spec
        #fault
        #credentials
        #client

        /// One marker type per operation, tying its request, response, error and wire binding together.
        pub mod operations {
            use super::*;
            #(#markers)*
        }

        /// Every operation of this platform, for the command-line tool.
        pub(crate) const OPERATIONS: &[rt::cli::Entry] = &[#(#entries),*];
    }
}

/// The platform's error body as the runtime sees it: which platform it comes from (for its throttling codes)
/// and, on a SOAP platform, how it is read from a fault's detail.
fn fault(service: &Service) -> TokenStream {
    let fault = ident(&service.error_type);
    let soap_detail = soap::fault_detail(service);
    quote! {
        impl rt::Fault for #fault {
            const SERVICE: &'static rt::ServiceSpec = &SERVICE;
            #soap_detail
        }
    }
}

fn server(s: &Server) -> TokenStream {
    let url = &s.url;
    let names = s.variables.iter().map(|v| &v.name);
    let defaults = s.variables.iter().map(|v| &v.default);
    quote! { rt::ServerSpec { url: #url, variables: &[#( (#names, #defaults) ),*] } }
}

fn service_spec(service: &Service) -> TokenStream {
    let name = &service.name;
    let title = &service.title;
    let production = server(&service.servers.production);
    let sandbox = match &service.servers.sandbox {
        Some(s) => {
            let s = server(s);
            quote! { Some(#s) }
        }
        None => quote! { None },
    };
    let creds = service.credentials.iter().map(|c| {
        let (name, env, secret) = (&c.name, &c.env, c.secret);
        quote! { rt::CredentialSpec { name: #name, env: #env, secret: #secret } }
    });
    let rest = match &service.rest {
        Some(r) => {
            let base = &r.base_path;
            let headers = r.headers.iter().map(|h| {
                let (n, f, c) = (&h.name, &h.format, &h.credential);
                quote! { rt::HeaderSpec { name: #n, format: #f, credential: #c } }
            });
            quote! { Some(rt::RestSpec { base_path: #base, headers: &[#(#headers),*] }) }
        }
        None => quote! { None },
    };
    let soap = match &service.soap {
        Some(s) => {
            let (path, ns) = (&s.path, &s.namespace);
            let headers = s.headers.iter().map(|h| {
                let (e, c) = (&h.element, &h.credential);
                quote! { (#e, #c) }
            });
            quote! { Some(rt::SoapSpec { path: #path, namespace: #ns, headers: &[#(#headers),*] }) }
        }
        None => quote! { None },
    };
    let tracking_id = match &service.tracking_id {
        Some(t) => quote! { Some(#t) },
        None => quote! { None },
    };
    let fault_codes = |codes: &Option<FaultCodes>| match codes {
        Some(c) => {
            let (field, codes) = (&c.code_field, &c.codes);
            quote! { Some(rt::FaultCodesSpec { code_field: #field, codes: &[#(#codes),*] }) }
        }
        None => quote! { None },
    };
    let (throttling, authentication) = (
        fault_codes(&service.throttling),
        fault_codes(&service.authentication),
    );
    let operations = Literal::usize_unsuffixed(service.operations.len());
    quote! {
        /// How this platform is reached: servers, credentials and transports, as the schema describes them.
        pub(crate) static SERVICE: rt::ServiceSpec = rt::ServiceSpec {
            name: #name,
            title: #title,
            production: #production,
            sandbox: #sandbox,
            credentials: &[#(#creds),*],
            rest: #rest,
            soap: #soap,
            tracking_id: #tracking_id,
            throttling: #throttling,
            authentication: #authentication,
            operations: #operations,
        };
    }
}

fn credentials(service: &Service) -> TokenStream {
    let fields = service.credentials.iter().map(|c| {
        let name = ident(&c.name);
        // The schema's prose is escaped; the link to `from_env` is ours and stays a link.
        let (prose, from_env) = (
            docs::outer(&c.docs),
            format!(" Read from `{}` by [`Credentials::from_env`].", c.env),
        );
        let gap = (!c.docs.trim().is_empty()).then(|| quote! { #[doc = ""] });
        let doc = quote! {
            #prose
            #gap
            #[doc = #from_env]
        };
        let ty = if c.secret {
            quote! { rt::Secret }
        } else {
            quote! { String }
        };
        quote! { #doc pub #name: #ty, }
    });
    let reads = service.credentials.iter().map(|c| {
        let name = ident(&c.name);
        let env = &c.env;
        if c.secret {
            quote! { #name: rt::Secret::from_env(#env)?, }
        } else {
            quote! { #name: rt::env_var(#env)?, }
        }
    });
    let values = service.credentials.iter().map(|c| {
        let name = ident(&c.name);
        let key = &c.name;
        if c.secret {
            quote! { (#key, self.#name) }
        } else {
            quote! { (#key, rt::Secret::new(self.#name)) }
        }
    });
    let envs: Vec<&str> = service.credentials.iter().map(|c| c.env.as_str()).collect();
    let from_env_doc = if envs.is_empty() {
        "The platform needs no credentials: there is nothing to read.".to_string()
    } else {
        format!(
            "Reads {} from the environment.",
            envs.iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let from_env_doc = docs::written(&from_env_doc);
    quote! {
        /// What the platform needs to know who is calling. Secret values print as `<redacted>` in `Debug` output.
        #[derive(Debug, Clone)]
        pub struct Credentials {
            #(#fields)*
        }

        impl Credentials {
            #from_env_doc
            pub fn from_env() -> Result<Self, rt::BuildError> {
                Ok(Self { #(#reads)* })
            }

            fn into_values(self) -> Vec<(&'static str, rt::Secret)> {
                // An array, not `vec![]`: prettyplease lays out a macro's tokens as a run of text.
                Vec::from([#(#values),*])
            }
        }
    }
}

fn client(service: &Service) -> TokenStream {
    let fault = ident(&service.error_type);
    let title = &service.title;
    let client_doc = format!(" An async client for {title}.");
    let servers_doc = servers_doc(&service.servers);
    let methods = service.operations.iter().map(|op| {
        let name = ident(&op.rust);
        let prepare = ident(&format!("prepare_{}", bare(&op.rust)));
        let marker = ident(&rust_type_name(&op.id));
        let request = ident(&op.request);
        let response = ident(&op.response);
        let params: Vec<_> = op.rest.iter().flat_map(|r| &r.path_params).map(|p| ident(&p.rust)).collect();
        let doc = docs::outer(&operation_docs(service, op));
        let prepare_doc = docs::written(&format!(
            "The exact HTTP request [`Client::{}`] would send, built and checked without sending it.",
            op.rust
        ));
        quote! {
            #doc
            pub async fn #name(&self, #(#params: &str,)* request: &#request) -> Result<rt::Response<#response>, rt::Error<#fault>> {
                self.core.call::<operations::#marker>(&[#(#params),*], request).await
            }

            #prepare_doc
            pub fn #prepare(&self, #(#params: &str,)* request: &#request) -> Result<rt::PreparedRequest, rt::Error<#fault>> {
                self.core.prepare::<operations::#marker>(&[#(#params),*], request)
            }
        }
    });
    quote! {
        #[doc = #client_doc]
        ///
        #servers_doc
        ///
        /// Cloning is cheap: clones share one connection pool.
        #[derive(Debug, Clone)]
        pub struct Client {
            pub(crate) core: rt::Core,
        }

        impl Client {
            /// A client for production with the default configuration.
            pub fn new(credentials: Credentials) -> Result<Self, rt::BuildError> {
                Self::with_config(credentials, rt::ClientConfig::default())
            }

            /// A client with its own configuration: sandbox, endpoint, transport, server variables, and the
            /// timeouts, retries and size limit of its calls.
            pub fn with_config(credentials: Credentials, config: rt::ClientConfig) -> Result<Self, rt::BuildError> {
                Ok(Self { core: rt::Core::new(&SERVICE, credentials.into_values(), config)? })
            }

            /// This client, sharing its connections, with other call settings: for one call, or a group of them.
            ///
            /// `client.with_call_config(|c| c.retry = RetryConfig::disabled()).update(...)`
            pub fn with_call_config(&self, adjust: impl FnOnce(&mut rt::CallConfig)) -> Self {
                Self { core: self.core.with_call_config(adjust) }
            }

            /// This client, sharing its connections and call settings, with other credentials: an access token
            /// refreshed before it expires, or another account's. The client it comes from keeps its own.
            pub fn with_credentials(&self, credentials: Credentials) -> Self {
                Self { core: self.core.with_credentials(credentials.into_values()) }
            }

            #(#methods)*
        }
    }
}

/// The server calls go to, and the server variables an application may set, with their defaults and the schema's words.
fn servers_doc(servers: &Servers) -> TokenStream {
    let sandbox = match &servers.sandbox {
        Some(s) => format!(
            "; with [`ClientConfig::sandbox`](crate::ClientConfig::sandbox) set, `{}`",
            s.url
        ),
        None => " (the platform has no sandbox)".into(),
    };
    let goes = docs::written(&format!("Server: `{}`{sandbox}.", servers.production.url));
    let mut variables: Vec<&ServerVariable> = Vec::new();
    for v in servers
        .production
        .variables
        .iter()
        .chain(servers.sandbox.iter().flat_map(|s| &s.variables))
    {
        if !variables.iter().any(|seen| seen.name == v.name) {
            variables.push(v);
        }
    }
    if variables.is_empty() {
        return goes;
    }
    let items = variables.iter().map(|v| {
        let words = v.docs.split_whitespace().collect::<Vec<_>>().join(" ");
        let words = if words.is_empty() {
            String::new()
        } else {
            format!(": {words}")
        };
        docs::outer(&format!("- `{}` (default `{}`){words}", v.name, v.default))
    });
    quote! {
        #goes
        ///
        /// Its server variables, which [`ClientConfig::server_variables`](crate::ClientConfig::server_variables)
        /// sets:
        #(#items)*
    }
}

fn operation_docs(service: &Service, op: &Operation) -> String {
    let mut text = op.docs.clone();
    let mut wire = Vec::new();
    if let Some(rest) = &op.rest {
        let base = service
            .rest
            .as_ref()
            .map(|r| r.base_path.as_str())
            .unwrap_or_default();
        wire.push(format!("REST: `{} {}{}`", rest.method, base, rest.path));
    }
    if let Some(soap) = &op.soap {
        wire.push(format!("SOAP action `{}`", soap.action));
    }
    text.push_str(&format!(
        "\n\n{}; success is HTTP {}.",
        wire.join("; "),
        op.success_status
    ));
    if !op.sandbox {
        text.push_str(" Not available on the sandbox: with the sandbox selected the call fails before sending.");
    }
    text.push_str(if op.idempotent {
        " Repeating it is safe, so it is retried after timeouts, dropped connections and 502/503/504 as well as throttling."
    } else {
        " Repeating it may apply it twice, so it is retried only when the platform says it did not act: throttling, 429 and 503."
    });
    text
}

fn marker(service: &Service, index: usize, op: &Operation) -> TokenStream {
    let marker = ident(&rust_type_name(&op.id));
    let doc = docs::outer(&operation_docs(service, op));
    let (id, cli, sandbox, idempotent) =
        (&op.id, op.rust.to_kebab_case(), op.sandbox, op.idempotent);
    let docs = &op.docs;
    let position = Literal::usize_unsuffixed(index);
    let request = ident(&op.request);
    let response = ident(&op.response);
    let fault = ident(&service.error_type);
    let rest = match &op.rest {
        Some(r) => {
            let (method, path) = (&r.method, &r.path);
            let params = r.path_params.iter().map(|p| {
                let (name, flag, docs) = (&p.name, p.name.to_kebab_case(), &p.docs);
                let limits = limits_expr(&p.limits);
                quote! { rt::ParamSpec { name: #name, flag: #flag, docs: #docs, limits: #limits } }
            });
            quote! { Some(rt::RestOperationSpec { method: #method, path: #path, path_params: &[#(#params),*] }) }
        }
        None => quote! { None },
    };
    let (soap, soap_fns) = match &op.soap {
        Some(s) => {
            let (action, req_el, resp_el) = (&s.action, &s.request_element, &s.response_element);
            (
                quote! { Some(rt::SoapOperationSpec { action: #action, response_element: #resp_el }) },
                quote! {
                    fn soap_prefixes() -> &'static [(&'static str, &'static str)] {
                        SOAP_PREFIXES
                    }

                    fn encode_soap(request: &Self::Request, writer: &mut rt::soap::Writer) {
                        rt::soap::Encode::encode(request, writer, TNS, #req_el);
                    }

                    fn decode_soap(reader: &mut rt::soap::Reader<'_>, body: &rt::soap::Start<'_>) -> Result<Self::Response, rt::soap::DecodeError> {
                        rt::soap::Decode::decode(reader, body)
                    }
                },
            )
        }
        None => (quote! { None }, TokenStream::new()),
    };
    quote! {
        #doc
        #[derive(Debug, Clone, Copy)]
        pub struct #marker;

        impl rt::Operation for #marker {
            type Request = #request;
            type Response = #response;
            type Fault = #fault;

            const SPEC: &'static rt::OperationSpec = &rt::OperationSpec {
                service: &SERVICE,
                index: #position,
                id: #id,
                cli: #cli,
                docs: #docs,
                rest: #rest,
                soap: #soap,
                sandbox: #sandbox,
                idempotent: #idempotent,
            };

            #soap_fns
        }
    }
}
