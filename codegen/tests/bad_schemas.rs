//! Malformed schemas fail with one located message per problem, and never panic.

mod common;

use common::{OVERRIDES, platform_text, run, run_openapi, valid_openapi};
use marketing_apis_codegen::{Diagnostic, GeneratedFile};
use serde_json::{Value, json};

fn openapi_case(case: &str, edit: impl FnOnce(&mut Value)) -> Vec<Diagnostic> {
    let mut doc = valid_openapi();
    edit(&mut doc);
    run_openapi(case, &doc).expect_err("the broken schema must be rejected")
}

/// The valid document with `extra` appended to its overrides.
fn overrides_case(case: &str, extra: &str) -> Vec<Diagnostic> {
    let files = [
        ("t/openapi.json", valid_openapi().to_string()),
        ("t/overrides.toml", format!("{OVERRIDES}{extra}")),
    ];
    run(case, &files).expect_err("the broken overrides must be rejected")
}

/// The head of a hand-kept `service.toml`: the sections every one needs.
const HAND_SERVICE: &str = r#"[service]
title = "Hand"
error_type = "Fault"
[servers]
production = "https://api.example""#;

/// [`HAND_SERVICE`] with one REST operation, `update`, taking `request` and answering `Fault`.
fn rest_service(request: &str) -> String {
    format!(
        "{HAND_SERVICE}\n[rest]\n[operations.update]\nrequest = \"{request}\"\nresponse = \"Fault\"\nrest = {{ method = \"POST\", path = \"/things\" }}\n"
    )
}

/// Runs the generator on a hand-kept platform `h` of `service.toml` and `types.toml`.
fn run_hand(case: &str, service: &str, types: &str) -> Result<Vec<GeneratedFile>, Vec<Diagnostic>> {
    let files = [
        ("h/service.toml", service.to_string()),
        ("h/types.toml", types.to_string()),
    ];
    run(case, &files)
}

/// The platform file generated from `types` as the `types.toml` of a hand-kept platform whose one operation
/// takes `Req`.
fn hand_kept_types_generate(case: &str, types: &str) -> String {
    let generated = run_hand(case, &rest_service("Req"), types).expect("valid");
    let file = generated.into_iter().find(|f| f.name == "h.rs");
    file.expect("h.rs").text
}

/// A hand-kept platform of `service.toml` and `types.toml` that the generator must reject.
fn handkept_case(case: &str, service: &str, types: &str) -> Vec<Diagnostic> {
    run_hand(case, service, types).expect_err("the broken schema must be rejected")
}

/// `types` as the `types.toml` of a hand-kept platform whose one operation takes `Req`, which the generator must
/// reject with each `(place, message)` of `expected` among its problems; the problems, for more checks.
fn hand_kept_types_fail(case: &str, types: &str, expected: &[(&str, &str)]) -> Vec<Diagnostic> {
    let problems = handkept_case(case, &rest_service("Req"), types);
    for (place, message) in expected {
        assert_located(&problems, "schemas/h/types.toml", place, message);
    }
    problems
}

fn assert_located(problems: &[Diagnostic], file: &str, place: &str, message: &str) {
    assert!(
        problems
            .iter()
            .any(|p| p.file == file && p.place.contains(place) && p.message.contains(message)),
        "expected {file} at {place}: {message}; got {problems:#?}"
    );
}

#[test]
fn the_valid_document_generates() {
    let generated = run_openapi("valid", &valid_openapi()).expect("valid");
    let text = platform_text(&generated);
    assert!(text.contains("pub async fn thing_update"));
    // A POST is not safe to repeat unless the overrides say so.
    assert!(text.contains("idempotent: false,"), "{text}");
}

#[test]
fn invalid_json() {
    let files = [("t/openapi.json", "{\"openapi\": \"3.1.0\",".to_string())];
    let problems = run("json", &files).expect_err("rejected");
    assert_located(
        &problems,
        "schemas/t/openapi.json",
        "line 1",
        "invalid JSON",
    );

    // The position is given once, as the place.
    let files = [("t/openapi.json", "{\"openapi\": \"3.1.0\" x}".to_string())];
    let problems = run("json_at", &files).expect_err("rejected");
    let [problem] = &problems[..] else {
        panic!("one problem expected, got {problems:#?}");
    };
    assert_eq!(problem.place, "line 1, column 21");
    assert_eq!(problem.message, "invalid JSON: expected `,` or `}`");
    // As the build prints it.
    assert_eq!(
        problem.to_string(),
        "schemas/t/openapi.json: at line 1, column 21: invalid JSON: expected `,` or `}`"
    );
}

#[test]
fn missing_operation_id() {
    let problems = openapi_case("opid", |d| {
        d["paths"]["/things/update"]["post"]
            .as_object_mut()
            .expect("object")
            .remove("operationId");
    });
    assert_located(
        &problems,
        "schemas/t/openapi.json",
        "#/paths/~1things~1update/post",
        "expected an `operationId`",
    );
}

#[test]
fn dangling_reference() {
    let mut doc = valid_openapi();
    doc["paths"]["/things/update"]["post"]["responses"]["400"]["content"]["application/json"]["schema"]
        ["$ref"] = json!("#/components/schemas/Missing");
    let problems = run_openapi("ref", &doc).expect_err("a dangling reference");
    // Found after parsing, and placed by its pointer all the same: at the member's name, which ends at the
    // column given (the document is one line).
    let name_ends = doc
        .to_string()
        .find(r##""$ref":"#/components/schemas/Missing""##)
        .expect("written")
        + 6;
    assert_located(
        &problems,
        "schemas/t/openapi.json",
        &format!(
            "/responses/400/content/application~1json/schema/$ref (line 1, column {name_ends})"
        ),
        "dangling reference",
    );
}

#[test]
fn a_parameter_response_or_request_body_reference_that_points_at_nothing() {
    // A bad request body stops the operation there, so it gets a document of its own.
    let mut problems = openapi_case("refs", |d| {
        let post = &mut d["paths"]["/things/update"]["post"];
        post["parameters"] = json!([{"$ref": "#/components/parameters/Missing"}]);
        post["responses"]["400"] = json!({"$ref": "#/components/schemas/Error"});
    });
    problems.extend(openapi_case("body-ref", |d| {
        d["paths"]["/things/update"]["post"]["requestBody"] =
            json!({"$ref": "#/components/requestBodies/Missing"});
    }));
    let operation = "#/paths/~1things~1update/post";
    for (place, kind, reference) in [
        (
            "/parameters/0/$ref",
            "parameter",
            "#/components/parameters/Missing",
        ),
        (
            "/requestBody/$ref",
            "request body",
            "#/components/requestBodies/Missing",
        ),
        (
            "/responses/400/$ref",
            "response",
            "#/components/schemas/Error",
        ),
    ] {
        assert_located(
            &problems,
            "schemas/t/openapi.json",
            &format!("{operation}{place}"),
            &format!("`{reference}` points at no {kind}"),
        );
    }
}

#[test]
fn parameters_responses_and_request_bodies_may_be_references() {
    let mut doc = valid_openapi();
    let post = doc["paths"]["/things/update"]["post"].take();
    doc["components"]["requestBodies"] = json!({"Things": post["requestBody"]});
    doc["components"]["responses"] = json!({"Accepted": post["responses"]["202"]});
    let mut post = post;
    post["requestBody"] = json!({"$ref": "#/components/requestBodies/Things"});
    post["responses"]["202"] = json!({"$ref": "#/components/responses/Accepted"});
    doc["paths"]["/things/update"]["post"] = post;
    let direct = run_openapi("direct", &valid_openapi()).expect("valid");
    let referenced = run_openapi("referenced", &doc).expect("references resolve");
    assert_eq!(
        platform_text(&referenced),
        platform_text(&direct),
        "a body or response given by reference generates what the same one written in place does"
    );
}

#[test]
fn a_problem_inside_a_referenced_response_or_body_is_placed_where_the_document_has_it() {
    // A bad request body stops the operation there, so it gets a document of its own.
    let mut problems = openapi_case("shared-body", |d| {
        d["components"]["requestBodies"] =
            json!({"Things": {"content": {"application/xml": {"schema": {"type": "object"}}}}});
        d["paths"]["/things/update"]["post"]["requestBody"] =
            json!({"$ref": "#/components/requestBodies/Things"});
    });
    // Two statuses share one response, whose problem is then found twice.
    problems.extend(openapi_case("shared-response", |d| {
        d["components"]["responses"] = json!({"Failed": {"description": "failed", "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Missing"}}
        }}});
        for status in ["400", "500"] {
            d["paths"]["/things/update"]["post"]["responses"][status] =
                json!({"$ref": "#/components/responses/Failed"});
        }
    }));
    for (place, message) in [
        (
            "#/components/requestBodies/Things/content",
            "expected an application/json schema",
        ),
        (
            "#/components/responses/Failed/content/application~1json/schema/$ref",
            "dangling reference",
        ),
    ] {
        let found: Vec<&Diagnostic> = problems
            .iter()
            .filter(|p| p.place.starts_with(&format!("{place} (line 1, column ")))
            .collect();
        assert_eq!(found.len(), 1, "{place}, once: {problems:#?}");
        assert!(found[0].message.contains(message), "{found:#?}");
    }
}

#[test]
fn unsupported_construct() {
    let problems = openapi_case("oneof", |d| {
        d["components"]["schemas"]["Error"]["properties"]["message"] =
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}]});
    });
    assert_located(
        &problems,
        "schemas/t/openapi.json",
        "#/components/schemas/Error/properties/message/oneOf",
        "unsupported schema keyword `oneOf`",
    );
}

#[test]
fn wrong_type_for_a_keyword() {
    let problems = openapi_case("maxitems", |d| {
        d["paths"]["/things/update"]["post"]["requestBody"]["content"]["application/json"]["schema"]
            ["properties"]["ids"]["maxItems"] = json!("ten");
    });
    assert_located(
        &problems,
        "schemas/t/openapi.json",
        "/properties/ids/maxItems",
        "expected a non-negative integer for `maxItems`, found a string",
    );
}

#[test]
fn two_operations_with_one_name() {
    let problems = openapi_case("dup", |d| {
        let op = d["paths"]["/things/update"]["post"].clone();
        d["paths"]["/things/update2"] = json!({"post": op});
    });
    assert_located(
        &problems,
        "schemas/t/openapi.json",
        "#/paths/~1things~1update2/post",
        "same method name `thing_update` as the operation at #/paths/~1things~1update/post",
    );
}

#[test]
fn type_array_with_two_types() {
    let problems = openapi_case("types", |d| {
        d["components"]["schemas"]["Error"]["properties"]["message"]["type"] =
            json!(["string", "integer"]);
    });
    assert_located(
        &problems,
        "schemas/t/openapi.json",
        "#/components/schemas/Error/properties/message/type",
        "expected one type",
    );
    // What the normalizer refuses is not then read as OpenAPI, which would report it again.
    assert_eq!(problems.len(), 1, "{problems:#?}");
}

#[test]
fn missing_servers() {
    let problems = openapi_case("servers", |d| {
        d.as_object_mut().expect("object").remove("servers");
    });
    assert_located(
        &problems,
        "schemas/t/openapi.json",
        "#/servers",
        "expected at least one server",
    );
}

#[test]
fn unbound_security_scheme() {
    let mut doc = valid_openapi();
    doc["security"] = json!([{"key": []}]);
    let problems = run("unbound", &[("t/openapi.json", doc.to_string())]).expect_err("rejected");
    assert_located(
        &problems,
        "schemas/t/openapi.json",
        "#/components/securitySchemes/key",
        "no credential in overrides.toml binds",
    );
}

/// Each supported security scheme becomes the header its credential goes in; any other fails the build.
#[test]
fn security_schemes_become_credential_headers() {
    for (scheme, header) in [
        (
            json!({"type": "http", "scheme": "Bearer"}),
            ("Authorization", "Bearer {key}"),
        ),
        (
            json!({"type": "oauth2", "flows": {"authorizationCode": {
                "authorizationUrl": "https://auth.example/oauth",
                "tokenUrl": "https://auth.example/token",
                "scopes": {}
            }}}),
            ("Authorization", "Bearer {key}"),
        ),
        (
            json!({"type": "apiKey", "in": "header", "name": "X-Api-Key"}),
            ("X-Api-Key", "{key}"),
        ),
    ] {
        let mut doc = valid_openapi();
        doc["components"]["securitySchemes"]["key"] = scheme.clone();
        let generated = run_openapi("schemes", &doc).expect("a supported scheme");
        let (name, format) = header;
        let spec = format!(
            "name: \"{name}\",\n                format: \"{format}\",\n                credential: \"key\","
        );
        assert!(
            platform_text(&generated).contains(&spec),
            "{scheme}: {spec}"
        );
    }
    for scheme in [
        json!({"type": "http", "scheme": "basic"}),
        json!({"type": "apiKey", "in": "query", "name": "key"}),
    ] {
        let problems = openapi_case("unsupported-scheme", |d| {
            d["components"]["securitySchemes"]["key"] = scheme.clone();
        });
        assert_located(
            &problems,
            "schemas/t/openapi.json",
            "#/components/securitySchemes/key",
            "unsupported security scheme: expected http bearer, oauth2 or a header API key",
        );
    }
}

#[test]
fn non_json_request_body() {
    let problems = openapi_case("xmlbody", |d| {
        let body = &mut d["paths"]["/things/update"]["post"]["requestBody"]["content"];
        let schema = body["application/json"].clone();
        *body = json!({"application/xml": schema});
    });
    assert_located(
        &problems,
        "schemas/t/openapi.json",
        "/requestBody/content",
        "expected an application/json schema",
    );
}

#[test]
fn wrong_type_caught_by_the_openapi_reader() {
    let problems = openapi_case("reader", |d| {
        d["paths"]["/things/update"]["post"]["requestBody"]["required"] = json!("yes");
    });
    assert_located(
        &problems,
        "schemas/t/openapi.json",
        "#/paths",
        "not a valid OpenAPI document here: invalid type: string \"yes\", expected a boolean",
    );
}

#[test]
fn unknown_key_in_overrides() {
    let problems = overrides_case(
        "overrides",
        "[credentials.key2]\nenv = \"K\"\nsecrett = true\n",
    );
    assert_located(
        &problems,
        "schemas/t/overrides.toml",
        "credentials.key2",
        "unknown field `secrett`",
    );
    assert_located(&problems, "schemas/t/overrides.toml", "line 7", "");
}

#[test]
fn hand_kept_unknown_key_and_dangling_type() {
    let service = format!(
        r#"{HAND_SERVICE}
[rest]
headers = [{{ name = "Authorization", format = "Bearer {{token}}" }}]

[credentials.token]
env = "TOKEN"
secret = true

[operations.update]
request = "Req"
response = "Resp"
rest = {{ method = "PATCH", path = "/things" }}
"#
    );
    let types_unknown_key =
        "[types.Req]\nfields = [{ name = \"a\", type = \"string\", colour = \"red\" }]\n";
    let problems = handkept_case("handkept-key", &service, types_unknown_key);
    assert_located(
        &problems,
        "schemas/h/types.toml",
        "types.Req.fields[0]",
        "unknown field `colour`",
    );

    let dangling = "[types.Req]\nfields = [{ name = \"a\", type = \"Nope\" }]\n[types.Resp]\nfields = []\n[types.Fault]\nfields = []\n";
    let problems = handkept_case("handkept-ref", &service, dangling);
    // Found after parsing, and placed by its key path all the same.
    assert_located(
        &problems,
        "schemas/h/types.toml",
        "types.Req.fields[0] (line 2, column 11)",
        "unknown type `Nope`",
    );
}

#[test]
fn a_soap_action_that_cannot_go_in_a_header() {
    let service = format!(
        r#"{HAND_SERVICE}
[soap]
path = "/svc"
namespace = "urn:hand"
[operations.Update]
request = "Fault"
response = "Fault"
soap_action = "Update\r\nX-Injected: 1"
"#
    );
    let problems = handkept_case("handkept-action", &service, "[types.Fault]\nfields = []\n");
    assert_located(
        &problems,
        "schemas/h/service.toml",
        "operations.Update",
        r#"SOAP action "Update\r\nX-Injected: 1": expected printable ASCII"#,
    );
}

#[test]
fn hand_kept_derived_type_without_tag_and_path_without_parameter() {
    let service = format!(
        r#"{HAND_SERVICE}
[rest]
[operations.update]
request = "Base"
response = "Fault"
rest = {{ method = "PATCH", path = "/things/{{id}}" }}
"#
    );
    let types = "[types.Base]\ndiscriminator = \"Type\"\nfields = []\n[types.Derived]\nextends = \"Base\"\nfields = []\n[types.Fault]\nfields = []\n";
    let problems = handkept_case("handkept-tag", &service, types);
    assert_located(
        &problems,
        "schemas/h/types.toml",
        "types.Derived",
        "needs a `tag`",
    );
    assert_located(
        &problems,
        "schemas/h/service.toml",
        "operations.update",
        "placeholder `{id}` has no path parameter",
    );

    // Each placeholder is matched by name: only the one without a parameter is a problem.
    let service = format!(
        "{HAND_SERVICE}\n[rest]\n[operations.update]\nrequest = \"Fault\"\nresponse = \"Fault\"\nrest = {{ method = \"PATCH\", path = \"/things/{{id}}/{{part}}\" }}\n[operations.update.path_params.id]\ndocs = \"Which thing.\"\n"
    );
    let problems = handkept_case(
        "handkept-placeholders",
        &service,
        "[types.Fault]\nfields = []\n",
    );
    let placeholders: Vec<&str> = problems
        .iter()
        .map(|p| p.message.as_str())
        .filter(|m| m.starts_with("placeholder"))
        .collect();
    assert_eq!(placeholders, ["placeholder `{part}` has no path parameter"]);
}

#[test]
fn a_type_reference_that_is_neither_a_primitive_nor_a_name() {
    let types = "[types.Req]\nfields = [{ name = \"a\", type = \"Map<string>\" }]\n[types.Fault]\nfields = []\n";
    hand_kept_types_fail(
        "handkept-type-ref",
        types,
        &[(
            "types.Req.fields[0].type",
            "expected a primitive (string, int, long, ...), `T[]` or a type name, found `Map<string>`",
        )],
    );
}

#[test]
fn a_well_formed_name_of_no_type_and_an_empty_enum() {
    // A name may hold `_`: this one is well formed, and names no type.
    let types = "[types.Req]\nfields = [{ name = \"b\", type = \"Not_Here\" }, { name = \"c\", type = \"Colour\" }]\n[types.Colour]\nvalues = []\n[types.Fault]\nfields = []\n";
    hand_kept_types_fail(
        "handkept-names-no-type",
        types,
        &[
            ("types.Req.fields[0]", "unknown type `Not_Here`"),
            ("types.Colour", "an enum needs at least one value"),
        ],
    );
}

#[test]
fn an_empty_schema_folder() {
    let problems = run("empty", &[("x/README", "nothing".into())]).expect_err("rejected");
    assert_located(
        &problems,
        "schemas/x",
        "folder",
        "expected openapi.json or hand-kept",
    );
}

#[test]
fn an_operation_override_that_names_no_operation() {
    let problems = overrides_case(
        "operation-override",
        "\n[operations.thing_updat]\nidempotent = true\n",
    );
    assert_located(
        &problems,
        "schemas/t/openapi.json",
        "overrides.toml operations.thing_updat",
        "no operation of the document has this operationId",
    );
}

#[test]
fn a_schema_that_holds_itself() {
    // Directly, and through another schema and a list.
    let problems = openapi_case("recursive", |doc| {
        doc["components"]["schemas"]["Node"] = json!({"type": "object", "properties": {
            "next": {"$ref": "#/components/schemas/Node"}
        }});
        doc["components"]["schemas"]["Tree"] = json!({"type": "object", "properties": {
            "branches": {"type": "array", "items": {"$ref": "#/components/schemas/Branch"}}
        }});
        doc["components"]["schemas"]["Branch"] = json!({"type": "object", "properties": {
            "tree": {"$ref": "#/components/schemas/Tree"}
        }});
        let body = &mut doc["paths"]["/things/update"]["post"]["requestBody"]["content"]["application/json"]
            ["schema"]["properties"];
        body["node"] = json!({"$ref": "#/components/schemas/Node"});
        body["tree"] = json!({"$ref": "#/components/schemas/Tree"});
    });
    assert_located(
        &problems,
        "schemas/t/openapi.json",
        "#/components/schemas/Node/properties/next/$ref",
        "`#/components/schemas/Node` holds itself (#/components/schemas/Node → #/components/schemas/Node); recursive schemas are not supported",
    );
    assert_located(
        &problems,
        "schemas/t/openapi.json",
        "#/components/schemas/Branch/properties/tree/$ref",
        "(#/components/schemas/Tree → #/components/schemas/Branch → #/components/schemas/Tree)",
    );
}

#[test]
fn a_hand_kept_type_that_holds_itself() {
    let types = "[types.Req]\nfields = [{ name = \"a\", type = \"A\" }]\n[types.A]\nfields = [{ name = \"b\", type = \"ArrayOfB\" }]\n[types.ArrayOfB]\nlist = { item = \"B\", element = \"B\" }\n[types.B]\nfields = [{ name = \"a\", type = \"A\" }]\n[types.Fault]\nfields = []\n";
    let problems = hand_kept_types_fail(
        "handkept-cycle",
        types,
        &[(
            "types.A",
            "`A` holds itself (A → ArrayOfB → B → A); recursive types are not supported",
        )],
    );
    assert_eq!(problems.len(), 1, "one report per cycle: {problems:#?}");
}

#[test]
fn a_hand_kept_type_that_extends_itself() {
    let types = "[types.Req]\ndiscriminator = \"Type\"\nextends = \"Other\"\ntag = \"Req\"\nfields = []\n[types.Other]\nextends = \"Req\"\ntag = \"Other\"\nfields = []\n[types.Fault]\nfields = []\n";
    hand_kept_types_fail(
        "handkept-extends-loop",
        types,
        &[
            ("types.Req", "inheritance loops (Req → Other → Req)"),
            ("types.Other", "inheritance loops (Other → Req → Other)"),
        ],
    );
}

#[test]
fn names_that_give_no_rust_name_or_the_same_one() {
    let problems = openapi_case("names", |d| {
        let body = &mut d["paths"]["/things/update"]["post"]["requestBody"]["content"]["application/json"]
            ["schema"]["properties"];
        body["a-b"] = json!({"type": "string"});
        body["a_b"] = json!({"type": "string"});
        body["_"] = json!({"type": "string"});
        body["op"] = json!({"type": "string", "enum": [">=", "x-y", "x_y"]});
    });
    let body = "#/paths/~1things~1update/post/requestBody/content/application~1json/schema";
    for (place, message) in [
        (
            body,
            "field `a_b` gives the Rust name `a_b`, as field `a-b` does",
        ),
        (body, "field `_` gives no Rust name (``)"),
        (
            &format!("{body}/properties/op"),
            "value `>=` gives no Rust name (``)",
        ),
        (
            &format!("{body}/properties/op"),
            "value `x_y` gives the Rust name `XY`, as value `x-y` does",
        ),
    ] {
        assert_located(&problems, "schemas/t/openapi.json", place, message);
    }
    assert_eq!(problems.len(), 4, "one report per problem: {problems:#?}");
}

#[test]
fn hand_kept_names_that_cannot_be_rust_names() {
    let service = format!(
        "{HAND_SERVICE}\n[rest]\n[credentials.\"api-key\"]\nenv = \"KEY\"\n[operations.\"+\"]\nrequest = \"Derived\"\nresponse = \"Fault\"\nrest = {{ method = \"POST\", path = \"/things\" }}\n[operations.get]\nrequest = \"Fault\"\nresponse = \"Fault\"\nrest = {{ method = \"POST\", path = \"/things/{{request}}\" }}\n[operations.get.path_params.request]\ndocs = \"Which thing.\"\n[operations.fault]\nrequest = \"Fault\"\nresponse = \"Fault\"\nrest = {{ method = \"POST\", path = \"/faults\" }}\n"
    );
    let types = r#"[types."my type"]
fields = []
[types.Result]
fields = []
[types.Base]
discriminator = "Type"
fields = [{ name = "Type", type = "string" }, { name = "Id", type = "long" }]
[types.BaseBase]
fields = []
[types.Derived]
extends = "Base"
tag = "Derived"
fields = [{ name = "id", type = "long" }]
[types.Fault]
fields = []
"#;
    let problems = handkept_case("handkept-names", &service, types);
    for (file, place, message) in [
        (
            "schemas/h/service.toml",
            "folder",
            "credential `api-key`: expected a Rust field name",
        ),
        (
            "schemas/h/service.toml",
            "operations.+",
            "operation `+` gives no Rust method name (``)",
        ),
        (
            "schemas/h/service.toml",
            "operations.get",
            "path parameter `request` gives the Rust name `request`, as the method's request argument does",
        ),
        (
            "schemas/h/service.toml",
            "operations.fault",
            "operation `fault` gives the marker type `Fault`, a name its module already uses",
        ),
        (
            "schemas/h/types.toml",
            "types.my type",
            "type `my type`: expected a Rust type name",
        ),
        (
            "schemas/h/types.toml",
            "types.Result",
            "type `Result`: the generated module already uses that name",
        ),
        (
            "schemas/h/types.toml",
            "types.Derived",
            "field `id` gives the Rust name `id`, as field `Id` of base `Base` does",
        ),
    ] {
        assert_located(&problems, file, place, message);
    }
}

#[test]
fn a_base_type_whose_fields_type_is_taken() {
    let service = rest_service("Base");
    let types = "[types.Base]\ndiscriminator = \"Type\"\nfields = []\n[types.BaseBase]\nfields = []\n[types.Fault]\nfields = []\n";
    let problems = handkept_case("handkept-base-base", &service, types);
    assert_located(
        &problems,
        "schemas/h/types.toml",
        "types.Base",
        "the fields it declares go in a type named `BaseBase`, which the schema already defines",
    );
}

#[test]
fn a_platform_folder_that_is_not_a_module_name() {
    let files = [
        ("my-platform/openapi.json", valid_openapi().to_string()),
        ("my-platform/overrides.toml", OVERRIDES.to_string()),
    ];
    let problems = run("folder", &files).expect_err("rejected");
    assert_located(
        &problems,
        "schemas/my-platform/openapi.json",
        "folder",
        "platform folder `my-platform`: expected a Rust module name",
    );
}

/// Keywords and the escape variant's name are renamed, not refused: `type` is a raw identifier that other names
/// are built from without its `r#`, and a listed `unknown` value is `UnknownValue`.
#[test]
fn keywords_and_unknown_are_renamed() {
    let mut doc = valid_openapi();
    let post = &mut doc["paths"]["/things/update"]["post"];
    post["operationId"] = json!("type");
    let body = &mut post["requestBody"]["content"]["application/json"]["schema"]["properties"];
    body["type"] = json!({"type": "array", "maxItems": 3, "items": {"type": "string"}});
    body["kind"] = json!({"type": "string", "enum": ["unknown", "self"]});
    let generated = run_openapi("keywords", &doc).expect("generates");
    let text = platform_text(&generated);
    for expected in [
        "pub async fn r#type(",
        "pub fn prepare_type(",
        "pub const TYPE_MAX_ITEMS: usize = 3;",
        "UnknownValue,",
        "Self_,",
        "Unknown(String)",
    ] {
        assert!(text.contains(expected), "`{expected}` in:\n{text}");
    }
}

/// A valid hand-kept REST platform but for its `[servers]` section, which is `servers`.
fn hand_servers(case: &str, servers: &str) -> Result<Vec<GeneratedFile>, Vec<Diagnostic>> {
    let service = format!(
        "[service]\ntitle = \"Hand\"\nerror_type = \"Fault\"\n{servers}\n[rest]\n[operations.update]\nrequest = \"Fault\"\nresponse = \"Fault\"\nrest = {{ method = \"POST\", path = \"/things\" }}\n"
    );
    run_hand(case, &service, "[types.Fault]\nfields = []\n")
}

#[test]
fn a_hand_kept_server_variable_is_filled_and_documented() {
    let generated = hand_servers(
        "server-variable",
        "[servers]\nproduction = \"https://{region}.api.example/v1\"\nsandbox = \"http://[::1]:8080/v1\"\n[servers.variables.region]\ndefault = \"eu\"\ndocs = \"Where the account lives.\"",
    )
    .expect("valid");
    let text = generated
        .iter()
        .find(|f| f.name == "h.rs")
        .expect("h.rs")
        .text
        .as_str();
    for server in [
        "url: \"https://{region}.api.example/v1\",\n        variables: &[(\"region\", \"eu\")],",
        "url: \"http://[::1]:8080/v1\",\n        variables: &[],",
    ] {
        assert!(text.contains(server), "{server} in {text}");
    }
    assert!(
        text.contains("/// - `region` (default `eu`): Where the account lives."),
        "{text}"
    );
    // The colons of an IPv6 address are not a port's.
    hand_servers("ipv6-host", "[servers]\nproduction = \"https://[::1]/v1\"")
        .expect("an IPv6 host without a port");
    // A variable both servers name is listed once.
    let shared = hand_servers(
        "shared-variable",
        "[servers]\nproduction = \"https://{region}.api.example/v1\"\nsandbox = \"https://{region}.sandbox.example/v1\"\n[servers.variables.region]\ndefault = \"eu\"",
    )
    .expect("valid");
    let text = &shared.iter().find(|f| f.name == "h.rs").expect("h.rs").text;
    assert_eq!(
        text.matches("/// - `region` (default `eu`)").count(),
        1,
        "{text}"
    );
}

#[test]
fn a_server_url_that_a_client_could_not_call_fails_the_build() {
    let production = |url: &str| format!("[servers]\nproduction = \"{url}\"");
    for (url, expected) in [
        (
            "api.example",
            "expected an absolute URL starting with `https://`",
        ),
        ("https://", "expected a host of ASCII letters"),
        ("https://api example/v1", "found `api example`"),
        ("https://user@api.example", "found `user@api.example`"),
        ("https://api[1].example", "found `api[1].example`"),
        ("https://[]/v1", "found `[]`"),
        (
            "https://api.example:80a",
            "expected a port of digits after `api.example:`",
        ),
        (
            "https://api.example/v1?key=1",
            "cannot have a query or fragment",
        ),
        (
            "https://api.example/v1#top",
            "cannot have a query or fragment",
        ),
        (
            "https://api.example?key=1",
            "cannot have a query or fragment",
        ),
        ("https://api.example/v 1", "' ' is not a URL path character"),
        (
            "https://{region.api.example",
            "has a brace that encloses no name",
        ),
        (
            "https://api.example/{}",
            "has a brace that encloses no name",
        ),
        (
            "https://{region}.api.example",
            "names `{region}`, but no such variable is declared",
        ),
    ] {
        let problems = hand_servers("server-url", &production(url)).expect_err(url);
        assert_located(
            &problems,
            "schemas/h/service.toml",
            "servers.production",
            expected,
        );
    }

    let sandbox =
        "[servers]\nproduction = \"https://api.example\"\nsandbox = \"ftp://sandbox.example\"";
    let problems = hand_servers("server-sandbox", sandbox).expect_err("ftp");
    assert_located(
        &problems,
        "schemas/h/service.toml",
        "servers.sandbox",
        "starting with `https://`",
    );

    let unused = "[servers]\nproduction = \"https://api.example\"\n[servers.variables.zone]\ndefault = \"a\"";
    let problems = hand_servers("server-unused", unused).expect_err("unused");
    assert_located(
        &problems,
        "schemas/h/service.toml",
        "servers.variables.zone",
        "no server URL names it as `{zone}`",
    );
}

#[test]
fn an_openapi_server_url_and_its_variables_are_checked() {
    let problems = openapi_case("server-variables", |d| {
        d["servers"][0]["url"] = json!("https://{region}.api.example/{tenant}");
    });
    assert_located(
        &problems,
        "schemas/t/openapi.json",
        "#/servers/0",
        "names `{tenant}`, but no such variable is declared",
    );
    assert_located(
        &problems,
        "schemas/t/openapi.json",
        "#/servers/0",
        "variable `version` is declared, but `https://{region}.api.example/{tenant}` does not name it",
    );

    let problems = openapi_case("server-default", |d| {
        d["servers"][0]["variables"]["version"]["default"] = json!("1/beta");
    });
    assert_located(
        &problems,
        "schemas/t/openapi.json",
        "#/servers/0",
        "the default of variable `version`, \"1/beta\", holds / ? or #",
    );

    // A top-level key, so before the overrides' tables.
    let files = [
        ("t/openapi.json", valid_openapi().to_string()),
        (
            "t/overrides.toml",
            format!("sandbox = \"https://sandbox.example/1?debug\"\n{OVERRIDES}"),
        ),
    ];
    let problems = run("openapi-sandbox", &files).expect_err("a query in the sandbox URL");
    assert_located(
        &problems,
        "schemas/t/overrides.toml",
        "sandbox",
        "cannot have a query or fragment",
    );
}

#[test]
fn a_rest_path_brace_that_encloses_no_name() {
    let problems = handkept_case(
        "path-brace",
        &format!(
            "{HAND_SERVICE}\n[rest]\n[operations.update]\nrequest = \"Fault\"\nresponse = \"Fault\"\nrest = {{ method = \"POST\", path = \"/things/{{id\" }}\n"
        ),
        "[types.Fault]\nfields = []\n",
    );
    assert_located(
        &problems,
        "schemas/h/service.toml",
        "operations.update",
        "REST path `/things/{id` has a brace that encloses no name",
    );
}

#[test]
fn a_binding_path_that_would_not_follow_the_server_url() {
    let rest = format!(
        "{HAND_SERVICE}\n[rest]\nbase_path = \"v13\"\n[operations.update]\nrequest = \"Fault\"\nresponse = \"Fault\"\nrest = {{ method = \"POST\", path = \"/things\" }}\n"
    );
    let problems = handkept_case("rest-base-path", &rest, "[types.Fault]\nfields = []\n");
    assert_located(
        &problems,
        "schemas/h/service.toml",
        "rest.base_path",
        "`v13`: expected a path starting with `/`",
    );

    let soap = format!(
        "{HAND_SERVICE}\n[soap]\npath = \"/svc?wsdl\"\nnamespace = \"urn:hand\"\n[operations.Update]\nrequest = \"Fault\"\nresponse = \"Fault\"\nsoap_action = \"Update\"\n"
    );
    let problems = handkept_case("soap-path", &soap, "[types.Fault]\nfields = []\n");
    assert_located(
        &problems,
        "schemas/h/service.toml",
        "soap.path",
        "`/svc?wsdl`: cannot have a query or fragment",
    );
}

/// A problem in `[rest]` is reported in the file that holds it, whichever file holds `[servers]`.
#[test]
fn a_rest_header_problem_names_the_file_of_the_rest_section() {
    let files = [
        (
            "h/service.toml",
            format!(
                "{HAND_SERVICE}\n[operations.update]\nrequest = \"Fault\"\nresponse = \"Fault\"\nrest = {{ method = \"POST\", path = \"/things\" }}\n"
            ),
        ),
        (
            "h/rest.toml",
            "[rest]\nheaders = [{ name = \"Authorization\", format = \"Bearer\" }]\n".to_string(),
        ),
        ("h/types.toml", "[types.Fault]\nfields = []\n".to_string()),
    ];
    let problems = run("rest-file", &files).expect_err("a header without its credential");
    assert_located(
        &problems,
        "schemas/h/rest.toml",
        "rest.headers[0] (line 2, column 12)",
        "header `Authorization`: expected a format holding `{credential}`",
    );
}

#[test]
fn a_wire_name_that_soap_or_http_cannot_carry() {
    let service = format!(
        r#"{HAND_SERVICE}
[credentials.token]
env = "TOKEN"
secret = true
[rest]
headers = [{{ name = "X Token", format = "Bearer {{token}}" }}]
[soap]
path = "/svc"
namespace = "urn:hand"
headers = [{{ element = "Auth Token", credential = "token" }}]
[operations.Update]
request = "Req"
response = "Fault"
soap_action = "Update"
"#
    );
    let types = "[types.Req]\nfields = [{ name = \"Audience Id\", type = \"string\" }, { name = \"Ids\", type = \"ArrayOflong\" }, { name = \"2nd\", type = \"string\" }, { name = \"_Note\", type = \"string\" }]\n[types.ArrayOflong]\nlist = { item = \"long\", element = \"long item\" }\n[types.Fault]\nfields = []\n";
    let problems = handkept_case("wire-names", &service, types);
    for (file, place, message) in [
        (
            "schemas/h/types.toml",
            "types.Req.fields[0]",
            "field `Audience Id`: expected an XML name",
        ),
        (
            "schemas/h/types.toml",
            "types.Req.fields[2]",
            "field `2nd`: expected an XML name",
        ),
        (
            "schemas/h/types.toml",
            "types.ArrayOflong",
            "list item element `long item`: expected an XML name",
        ),
        (
            "schemas/h/service.toml",
            "soap.headers",
            "header element `Auth Token`: expected an XML name",
        ),
        (
            "schemas/h/service.toml",
            "rest.headers",
            "header `X Token`: expected an HTTP header name",
        ),
    ] {
        assert_located(&problems, file, place, message);
    }
    // An XML name may start with `_`.
    assert!(
        !problems.iter().any(|p| p.message.contains("`_Note`")),
        "{problems:#?}"
    );

    // JSON property names are free: a REST-only platform may use any.
    let files = [
        ("j/service.toml", rest_service("Req")),
        (
            "j/types.toml",
            "[types.Req]\nfields = [{ name = \"date(att15)\", type = \"string\" }]\n[types.Fault]\nfields = []\n"
                .to_string(),
        ),
    ];
    run("json-free-names", &files).expect("a JSON property name need not be an XML name");
}

#[test]
fn a_namespace_requests_could_not_declare() {
    let soap = |namespace: &str, namespaces: &str| {
        format!(
            "{HAND_SERVICE}\n[soap]\npath = \"/svc\"\nnamespace = \"{namespace}\"\n[namespaces]\n{namespaces}\n[operations.Update]\nrequest = \"Fault\"\nresponse = \"Fault\"\nsoap_action = \"Update\"\n"
        )
    };
    let types = "[types.Fault]\nfields = []\n";
    let prefixes = soap(
        "urn:hand",
        "i = \"urn:items\"\narrays = \"\"\n\"a b\" = \"urn:ab\"",
    );
    let problems = handkept_case("namespace-prefixes", &prefixes, types);
    for (place, message) in [
        ("namespaces.i", "`i` is a prefix requests already use"),
        ("namespaces.arrays", "``: expected a namespace URI"),
        ("namespaces.a b", "`a b`: expected an XML name"),
    ] {
        assert_located(&problems, "schemas/h/service.toml", place, message);
    }

    let problems = handkept_case("service-namespace", &soap("", ""), types);
    assert_located(
        &problems,
        "schemas/h/service.toml",
        "soap.namespace",
        "``: expected a namespace URI",
    );
}

/// A problem is placed by its own file, even when another file of the platform has the start of its key path.
#[test]
fn a_problem_is_placed_in_its_own_file_only() {
    let files = [
        (
            "h/a.toml",
            format!("{}\n[types.Fault]\nfields = []\n", rest_service("Req")),
        ),
        (
            "h/b.toml",
            "[types.Req]\nfields = [{ name = \"a\", type = \"Nope\" }]\n".to_string(),
        ),
    ];
    let problems = run("placed-in-own-file", &files).expect_err("rejected");
    let [problem] = &problems[..] else {
        panic!("one problem expected, got {problems:#?}");
    };
    assert_eq!(problem.file, "schemas/h/b.toml");
    assert_eq!(problem.place, "types.Req.fields[0] (line 2, column 11)");
}

/// OpenAPI 3.1's `type` forms, and enums, that the reader cannot take fail the build where they stand.
#[test]
fn schema_types_and_examples_the_normalizer_refuses() {
    let at = "#/components/schemas/Error/properties/message";
    for (schema, place, message) in [
        (
            json!({"type": "null"}),
            "/type",
            "a schema of type \"null\" alone is not supported",
        ),
        (json!({"type": "strng"}), "/type", "unknown type `strng`"),
        (
            json!({"type": "string", "examples": "x"}),
            "/examples",
            "expected an array for `examples`, found a string",
        ),
        (
            json!({"type": "integer", "enum": [1, 2]}),
            "/enum",
            "`enum` and `const` are generated for string schemas only; this schema is of type `integer`",
        ),
        (
            json!({"enum": [1, "two"]}),
            "/enum",
            "`enum` and `const` are generated for string schemas only; this schema is untyped",
        ),
        (
            json!({"type": "integer", "const": 1}),
            "/const",
            "`enum` and `const` are generated for string schemas only; this schema is of type `integer`",
        ),
        (
            json!({"enum": [null]}),
            "/enum",
            "`enum` and `const` are generated for string schemas only; this schema is untyped",
        ),
    ] {
        let problems = openapi_case("normalizer", |d| {
            d["components"]["schemas"]["Error"]["properties"]["message"] = schema.clone();
        });
        assert_located(
            &problems,
            "schemas/t/openapi.json",
            &format!("{at}{place}"),
            message,
        );
    }
}

/// A header parameter must be a credential's; each path placeholder is matched by name.
#[test]
fn openapi_header_parameters_and_path_placeholders() {
    let problems = openapi_case("header-param", |d| {
        d["paths"]["/things/update"]["post"]["parameters"] =
            json!([{"name": "X-Other", "in": "header", "schema": {"type": "string"}}]);
    });
    assert_located(
        &problems,
        "schemas/t/openapi.json",
        "#/paths/~1things~1update/post",
        "header parameter `X-Other` is bound to no credential in overrides.toml",
    );

    let problems = openapi_case("placeholders", |d| {
        let paths = d["paths"].as_object_mut().expect("paths");
        let operation = paths.remove("/things/update").expect("the operation");
        paths.insert("/things/{id}/{part}".into(), operation);
        d["paths"]["/things/{id}/{part}"]["post"]["parameters"] = json!([
            {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}
        ]);
    });
    let placeholders: Vec<&str> = problems
        .iter()
        .map(|p| p.message.as_str())
        .filter(|m| m.starts_with("path placeholder"))
        .collect();
    assert_eq!(
        placeholders,
        ["path placeholder `{part}` has no path parameter"],
        "{problems:#?}"
    );
}

#[test]
fn a_document_without_an_error_response() {
    let problems = openapi_case("no-error-response", |d| {
        d["paths"]["/things/update"]["post"]["responses"]
            .as_object_mut()
            .expect("responses")
            .remove("400");
    });
    assert_located(
        &problems,
        "schemas/t/openapi.json",
        "#/paths",
        "expected error responses with an application/json schema: the platform's error body",
    );
}

/// An operation's docs are its summary, then its description where that says more.
#[test]
fn operation_docs_join_summary_and_description() {
    for (summary, description, docs) in [
        (
            "Update things",
            "Replaces the ids of the things.",
            "\n\n    /// Update things.\n    ///\n    /// Replaces the ids of the things.\n",
        ),
        (
            "Update things.",
            "Update things",
            "\n\n    /// Update things\n    ///\n    /// REST:",
        ),
    ] {
        let mut doc = valid_openapi();
        doc["paths"]["/things/update"]["post"]["summary"] = json!(summary);
        doc["paths"]["/things/update"]["post"]["description"] = json!(description);
        let generated = run_openapi("docs", &doc).expect("valid");
        let text = platform_text(&generated);
        assert!(text.contains(docs), "{docs:?} in {text}");
    }
}

/// Each OpenAPI schema form the reader takes becomes its Rust type.
#[test]
fn openapi_schema_forms_become_rust_types() {
    let mut doc = valid_openapi();
    doc["paths"]["/things/update"]["post"]["requestBody"]["content"]["application/json"]["schema"]
        ["properties"]
        .as_object_mut()
        .expect("properties")
        .extend([
            ("flag".to_string(), json!({"type": "boolean"})),
            ("ratio".to_string(), json!({"type": "number"})),
            (
                "count".to_string(),
                json!({"type": "integer", "format": "int32"}),
            ),
            (
                "total".to_string(),
                json!({"type": "integer", "format": "int64"}),
            ),
            (
                "error".to_string(),
                json!({"allOf": [{"$ref": "#/components/schemas/Error"}]}),
            ),
            ("free".to_string(), json!({"description": "Anything."})),
            // Left without `type`, these are read by the keywords they carry.
            ("bag".to_string(), json!({"additionalProperties": true})),
            ("names".to_string(), json!({"items": {"type": "string"}})),
            (
                "loose".to_string(),
                json!({"properties": {"note": {"type": "string"}}}),
            ),
            ("switch".to_string(), json!({"enum": ["on", "off", null]})),
            ("mode".to_string(), json!({"enum": ["fast", "slow"]})),
        ]);
    // A required property may still be null where its type (or an untyped enum) says so: only then is it an
    // `Option`.
    let body = &mut doc["paths"]["/things/update"]["post"]["requestBody"]["content"]["application/json"]
        ["schema"];
    body["properties"]["label"] = json!({"type": ["string", "null"]});
    body["properties"]["code"] = json!({"type": ["string"]});
    body["required"] = json!(["ids", "label", "code", "switch", "mode"]);
    body["properties"]["tags"] = json!({"type": "object", "maxProperties": 3});
    let generated = run_openapi("forms", &doc).expect("valid");
    let text = platform_text(&generated);
    for field in [
        "pub flag: Option<bool>,",
        "pub ratio: Option<f64>,",
        "pub count: Option<i32>,",
        "pub total: Option<i64>,",
        "pub error: Option<Error>,",
        "pub free: Option<serde_json::Value>,",
        "pub bag: Option<serde_json::Map<String, serde_json::Value>>,",
        "pub names: Option<Vec<String>>,",
        "pub loose: Option<ThingUpdateRequestLoose>,",
        "pub note: Option<String>,",
        "pub switch: Option<ThingUpdateRequestSwitch>,",
        "pub enum ThingUpdateRequestSwitch {",
        "pub mode: ThingUpdateRequestMode,",
        "pub label: Option<String>,",
        "pub code: String,",
        "Checked before sending: at most 3 entries.",
    ] {
        assert!(text.contains(field), "{field} in {text}");
    }
    // Two-part allOf, an untyped schema whose keywords say both object and array, and untyped properties beside
    // allOf are not generated.
    for schema in [
        json!({"allOf": [{"type": "string"}, {"type": "integer"}]}),
        json!({"properties": {"a": {"type": "string"}}, "items": {"type": "string"}}),
        json!({"allOf": [{"$ref": "#/components/schemas/Error"}], "properties": {"a": {"type": "string"}}}),
    ] {
        let problems = openapi_case("unsupported-form", |d| {
            d["components"]["schemas"]["Error"]["properties"]["message"] = schema.clone();
        });
        assert_located(
            &problems,
            "schemas/t/openapi.json",
            "#/components/schemas/Error/properties/message",
            "unsupported schema construct",
        );
    }
}

/// A struct derives `Default` when each required field's type has an empty or zero value: a list, a flag set,
/// or a struct whose own required fields do; a required plain enum has none.
#[test]
fn a_struct_is_default_when_its_required_fields_can_be_empty() {
    let types = r#"[types.Req]
fields = [{ name = "Ids", type = "Ids", required = true }, { name = "Kinds", type = "Kinds", required = true }, { name = "Inner", type = "Inner", required = true }, { name = "Strict", type = "Strict" }]
[types.Ids]
list = { item = "long", element = "long" }
[types.Kinds]
values = ["A", "B"]
flags = true
[types.Inner]
fields = [{ name = "Note", type = "string" }, { name = "Ids", type = "Ids", required = true }]
[types.Strict]
fields = [{ name = "Kind", type = "Kind", required = true }]
[types.Kind]
values = ["A", "B"]
[types.Fault]
fields = []
"#;
    let text = &hand_kept_types_generate("defaultable", types);
    let derives = |name: &str| {
        let at = text
            .find(&format!("pub struct {name} {{"))
            .unwrap_or_else(|| panic!("struct {name} in {text}"));
        let derive = text[..at].rfind("#[derive(").expect("a derive");
        text[derive..at].contains("Default")
    };
    assert!(derives("Req"), "{text}");
    assert!(derives("Inner"), "{text}");
    assert!(!derives("Strict"), "{text}");
}

/// A struct that holds a checked type is checked itself, whichever of the two its name sorts first.
#[test]
fn a_struct_holding_a_checked_type_is_checked_whatever_the_order_of_names() {
    let types = r#"[types.Req]
fields = [{ name = "Inner", type = "Aa" }]
[types.Aa]
fields = [{ name = "Kind", type = "Zz" }]
[types.Zz]
values = ["A", "B"]
[types.Fault]
fields = []
"#;
    let text = &hand_kept_types_generate("checked-order", types);
    for check in [
        "rt::validate_field(&self.kind, \"Kind\")?;",
        "rt::validate_field(&self.inner, \"Inner\")?;",
    ] {
        assert!(text.contains(check), "{check} in {text}");
    }
}
