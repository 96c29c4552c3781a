//! XML input: the one hardened parse every other module reads from, and
//! canonicalization over it.
//!
//! Principle 1 of the architecture: every byte that is verified and every
//! value that is read come from one parse of one input. [`parse`] is that
//! parse; it refuses DTDs, bounds every dimension of the input with
//! [`Limits`], and reports positions as line:column.

pub mod c14n;
mod parse;
mod reader;
mod text;
pub mod tree;

pub(crate) use parse::advance;
pub use parse::{Document, Limits, XmlError, parse, parse_bytes};
pub use text::{element_text, is_saml_element, location_of};
pub use tree::{Attribute, ExpandedName, Namespace, Node, NodeId, NodeType, PI, TextPos};
