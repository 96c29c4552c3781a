//! The README's table of finding codes is generated from the catalogue in
//! `src/codes.rs`; this test keeps the two equal. Run with
//! `UPDATE_README=1 cargo test --test readme_codes` to rewrite the table.

use saml_inspect::Code;

const START: &str = "<!-- codes:start -->\n";
const END: &str = "<!-- codes:end -->";

fn table() -> String {
    let mut t = String::from("| code | default severity | meaning |\n|---|---|---|\n");
    for code in Code::ALL {
        t.push_str(&format!(
            "| `{}` | {} | {} |\n",
            code,
            code.default_severity(),
            code.summary()
        ));
    }
    t
}

#[test]
fn readme_lists_every_code() {
    let path = format!("{}/README.md", env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(&path).unwrap();
    let start = readme
        .find(START)
        .expect("README has the codes:start marker")
        + START.len();
    let end = readme[start..]
        .find(END)
        .expect("README has the codes:end marker")
        + start;
    let expected = table();
    if readme[start..end] != expected {
        if std::env::var_os("UPDATE_README").is_some() {
            let updated = format!("{}{}{}", &readme[..start], expected, &readme[end..]);
            std::fs::write(&path, updated).unwrap();
        } else {
            panic!(
                "README's code table is stale; run UPDATE_README=1 cargo test --test readme_codes\n{expected}"
            );
        }
    }
}
