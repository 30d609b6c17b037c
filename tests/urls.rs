//! The URL each call is built for, without sending it: the client parses its base URL once and sets only the
//! path per call, so these hold that path to the documented server URLs, base paths and operation paths, for a
//! server URL with a path of its own (Pinterest's `/v5`), a REST base path (Microsoft's), path parameters, the
//! SOAP service path, the sandbox and an endpoint override.

use marketing_apis::{ClientConfig, Secret, Transport, batch, microsoft, pinterest};

fn microsoft_client(config: ClientConfig) -> microsoft::Client {
    let credentials = microsoft::Credentials {
        access_token: Secret::new("token"),
        developer_token: Secret::new("developer"),
        customer_id: "1".into(),
        customer_account_id: "2".into(),
    };
    microsoft::Client::with_config(credentials, config).expect("client builds")
}

/// The URLs of UpdateAudiences, UpdateAudienceGroups and UpdateConversionGoals, in that order.
fn microsoft_urls(client: &microsoft::Client) -> [String; 3] {
    let audiences = client.prepare_update_audiences(&Default::default());
    let groups = client.prepare_update_audience_groups(&Default::default());
    let goals = client.prepare_update_conversion_goals(&Default::default());
    [audiences, groups, goals].map(|prepared| prepared.expect("valid").url.to_string())
}

fn microsoft_url(config: ClientConfig) -> String {
    let [audiences, _, _] = microsoft_urls(&microsoft_client(config));
    audiences
}

fn with_transport(transport: Transport) -> ClientConfig {
    ClientConfig {
        transport: Some(transport),
        ..ClientConfig::default()
    }
}

#[test]
fn microsoft_soap_and_rest_urls_are_the_documented_ones() {
    assert_eq!(
        microsoft_url(with_transport(Transport::Soap)),
        "https://campaign.api.bingads.microsoft.com/Api/Advertiser/CampaignManagement/v13/CampaignManagementService.svc"
    );
    assert_eq!(
        microsoft_url(with_transport(Transport::Rest)),
        "https://campaign.api.bingads.microsoft.com/CampaignManagement/v13/Audiences"
    );
    let sandbox = ClientConfig {
        sandbox: true,
        ..with_transport(Transport::Rest)
    };
    assert_eq!(
        microsoft_url(sandbox),
        "https://campaign.api.sandbox.bingads.microsoft.com/CampaignManagement/v13/Audiences"
    );
    // An endpoint replaces the origin and keeps the documented path.
    let local = ClientConfig {
        endpoint: Some("http://127.0.0.1:8080".into()),
        ..with_transport(Transport::Soap)
    };
    assert_eq!(
        microsoft_url(local),
        "http://127.0.0.1:8080/Api/Advertiser/CampaignManagement/v13/CampaignManagementService.svc"
    );
}

/// A path without parameters is made into a URL once per client and operation: each operation keeps its own,
/// on every call.
#[test]
fn each_operation_keeps_its_own_url() {
    let rest = microsoft_client(with_transport(Transport::Rest));
    let base = "https://campaign.api.bingads.microsoft.com/CampaignManagement/v13";
    let expected =
        ["Audiences", "AudienceGroups", "ConversionGoals"].map(|p| format!("{base}/{p}"));
    for _ in 0..2 {
        assert_eq!(microsoft_urls(&rest), expected);
    }
    let soap = microsoft_client(with_transport(Transport::Soap));
    let service = "https://campaign.api.bingads.microsoft.com/Api/Advertiser/CampaignManagement/v13/CampaignManagementService.svc";
    for _ in 0..2 {
        assert_eq!(microsoft_urls(&soap), [service; 3]);
    }
}

#[test]
fn pinterest_url_keeps_the_servers_own_path_and_fills_the_parameters() {
    let credentials = pinterest::Credentials {
        access_token: Secret::new("token"),
    };
    let client = pinterest::Client::with_config(credentials, ClientConfig::default())
        .expect("client builds");
    let prepared = client
        .prepare_audiences_update(
            "549755885175",
            "2542620639259",
            &pinterest::AudienceUpdateRequest::default(),
        )
        .expect("valid");
    assert_eq!(
        prepared.url.as_str(),
        "https://api.pinterest.com/v5/ad_accounts/549755885175/audiences/2542620639259"
    );
    // `Debug` shows it as text, not as the parts `Url` keeps.
    assert!(
        format!("{prepared:?}").contains(
            r#"url: "https://api.pinterest.com/v5/ad_accounts/549755885175/audiences/2542620639259""#
        ),
        "{prepared:?}"
    );
    // A path with parameters is made on every call: the next call's ids are its own.
    let next = client
        .prepare_audiences_update("1", "2", &pinterest::AudienceUpdateRequest::default())
        .expect("valid");
    assert_eq!(
        next.url.as_str(),
        "https://api.pinterest.com/v5/ad_accounts/1/audiences/2"
    );
}

#[test]
fn batch_url_carries_the_api_version_variable() {
    let credentials = batch::Credentials {
        project_key: "project".into(),
        rest_key: Secret::new("key"),
    };
    let config = ClientConfig {
        server_variables: vec![("version".into(), "2.13".into())],
        ..ClientConfig::default()
    };
    let client = batch::Client::with_config(credentials, config).expect("client builds");
    let request = batch::AudienceUpdateRequest {
        name: "A".into(),
        ids: Vec::new(),
    };
    let prepared = client.prepare_audience_update(&request).expect("valid");
    assert_eq!(
        prepared.url.as_str(),
        "https://api.batch.com/2.13/audiences/update"
    );
}
