//! # saml-inspect
//!
//! Parse, verify and explain SAML: Microsoft Entra ID federation metadata, AWS
//! IAM Identity Center metadata, SAML responses with their XML signatures and
//! certificates, and the AWS pieces a federated sign-in into Amazon Connect
//! depends on.
//!
//! The design follows a few principles (see `docs/architecture.md`):
//!
//! 1. **One parse is the truth.** Every verified byte and every value read
//!    come from one hardened parse ([`xml::parse`]).
//! 2. **Read only what was verified.** Signature verification hands back the
//!    element it covered; decisions are made from that element only.
//! 3. **The SAML signature profile, strictly**, and keys only from the
//!    caller's trust.
//! 4. **Explain why**: inspection returns [`report::Finding`]s with stable
//!    [`codes::Code`]s.
//! 5. **Bounded work** on every input.
//! 6. **A pure library**: bytes and a clock in, values out.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod aws;
pub mod cert;
pub mod codes;
pub mod decode;
pub mod dsig;
pub mod explain;
pub mod flow;
pub mod har;
pub mod inspect;
pub mod metadata;
pub mod ns;
pub mod redact;
pub mod report;
pub mod saml;
pub mod validate;
pub mod verify;
pub mod xml;
pub mod xmlenc;

pub use codes::Code;
pub use report::{Finding, Location, Report, Severity};

// The README's Rust examples are compiled as doctests so they stay true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
