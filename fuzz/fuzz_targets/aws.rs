//! Any UTF-8 text into the AWS parsers: ARNs (generic and each kind, with
//! and without the other partitions), the Role attribute check with the
//! text split into values on line feeds, the Connect relay state, and IAM
//! policy documents. What must hold: no panic, no hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use saml_inspect::aws::{
    Arn, ArnOptions, ConnectInstanceArn, ConnectRelayState, IamRoleArn, ROLE_ATTRIBUTE,
    SamlAttributeRef, SamlProviderArn, check_role, parse_policy,
};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for allow_other_partitions in [false, true] {
        let options = ArnOptions {
            allow_other_partitions,
        };
        if let Ok(arn) = Arn::parse(text, options) {
            let _ = (
                arn.resource_type(),
                arn.resource_path(),
                arn.resource_name(),
            );
        }
        let _ = IamRoleArn::parse(text, options);
        if let Ok(provider) = SamlProviderArn::parse(text, options) {
            let _ = provider.name_warnings(None);
        }
        let _ = ConnectInstanceArn::parse(text, options);
    }

    let values: Vec<String> = text.split('\n').map(str::to_string).collect();
    let attrs = [SamlAttributeRef {
        name: ROLE_ATTRIBUTE,
        values: &values,
        location: None,
    }];
    let _ = check_role(&attrs);

    let _ = ConnectRelayState::parse(text);
    let _ = parse_policy(text);
});
