//! Updates one remarketing list on Microsoft Advertising. The audience and its rule are derived types, so they
//! are enum variants built from typed values; the request is checked against the documented limits before
//! anything else happens.
//!
//! Without `--send` it prints the SOAP request it would send, credentials redacted, and needs no credentials.
//! With `--send` it reads the four `MSADS_*` variables, sends, and prints any partial error with its codes.
//!
//! `cargo run --example microsoft_audiences [-- --send]`

use marketing_apis::microsoft::{
    BatchError, Client, Credentials, EntityScope, NormalForm, PageVisitorsRule, RemarketingList,
    RemarketingRule, RuleItem, RuleItemGroup, StringOperator, StringRuleItem,
    UpdateAudiencesRequest,
};
use marketing_apis::{Error, Secret};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let send = std::env::args().any(|arg| arg == "--send");
    let credentials = if send {
        Credentials::from_env()?
    } else {
        Credentials {
            access_token: Secret::new("dry-run-access-token"),
            developer_token: Secret::new("dry-run-developer-token"),
            customer_id: "0".into(),
            customer_account_id: "0".into(),
        }
    };
    let client = Client::new(credentials)?;

    // People who visited a page whose URL contains "shoes", kept for 30 days.
    let visitors = RemarketingList {
        id: Some(9_000_000_001),
        name: Some("Shoe page visitors".into()),
        membership_duration: Some(30),
        scope: Some(EntityScope::Account),
        tag_id: Some(555),
        rule: Some(RemarketingRule::PageVisitorsRule(PageVisitorsRule {
            normal_form: Some(NormalForm::Disjunctive),
            rule_item_groups: Some(vec![RuleItemGroup {
                items: Some(vec![RuleItem::StringRuleItem(StringRuleItem {
                    operand: Some("Url".into()),
                    operator: Some(StringOperator::Contains),
                    value: Some("shoes".into()),
                })]),
            }]),
        })),
        ..RemarketingList::default()
    };
    let request = UpdateAudiencesRequest {
        audiences: Some(vec![visitors.into()]),
    };

    if !send {
        println!("{}", client.prepare_update_audiences(&request)?);
        return Ok(());
    }
    match client.update_audiences(&request).await {
        Ok(response) => {
            println!(
                "sent in {} attempt(s), tracking id {:?}",
                response.attempts(),
                response.tracking_id()
            );
            for error in response.partial_errors.iter().flatten() {
                match error {
                    BatchError::EditorialError(e) => println!(
                        "audience {:?} rejected by editorial review: {:?} ({:?})",
                        e.index, e.error_code, e.disapproved_text
                    ),
                    other => println!("partial error: {other:?}"),
                }
            }
        }
        // The platform's own fault, with its tracking id; a transport failure or timeout goes to `?` below.
        Err(Error::Api {
            status,
            tracking_id,
            fault,
        }) => println!("HTTP {status}, tracking id {tracking_id:?}: {fault:?}"),
        Err(other) => return Err(other.into()),
    }
    Ok(())
}
