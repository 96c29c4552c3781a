//! What can be wrong with a SAML element, as typed values that become findings.

use crate::codes::Code;
use crate::report::{Finding, Location, Severity};

use super::time::TimestampError;

/// A problem found while reading a SAML element into the model.
///
/// Constructors return `Err(ModelError)` only when the element is not the
/// one asked for (wrong name or namespace); every other problem is recorded
/// in [`Parsed::findings`] (through [`ModelError::to_finding`]) and reading
/// goes on, so that inspection can explain everything at once.
///
/// Values quoted in a variant are shortened to at most
/// [`MAX_QUOTED_CHARS`] characters so that a hostile input cannot blow up a
/// report.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// The element has a SAML name but is not in the SAML namespace (or is
    /// not a SAML message at all).
    #[error("{message}")]
    NotSaml {
        /// What was found, for a person.
        message: String,
        /// Where the element starts.
        location: Location,
    },
    /// Another element was found where a given SAML element was expected.
    #[error("expected a <{expected}> element, found <{found}>")]
    UnexpectedElement {
        /// The element that was expected (local name).
        expected: &'static str,
        /// The element found, as `{namespace}name`.
        found: String,
        /// Where the element starts.
        location: Location,
    },
    /// A required attribute is absent.
    #[error("<{element}> has no {attribute} attribute, which is required")]
    MissingAttribute {
        /// The element (local name).
        element: &'static str,
        /// The attribute.
        attribute: &'static str,
        /// Where the element starts.
        location: Location,
    },
    /// A required child element is absent.
    #[error("<{parent}> has no <{child}> child, which is required")]
    MissingElement {
        /// The parent element (local name).
        parent: &'static str,
        /// The missing child (local name).
        child: &'static str,
        /// Where the parent starts.
        location: Location,
    },
    /// A child that may appear at most once appears again.
    #[error("<{parent}> has more than one <{child}> child; only one is allowed")]
    Duplicate {
        /// The parent element (local name).
        parent: &'static str,
        /// The repeated child (local name).
        child: &'static str,
        /// Where the second occurrence starts.
        location: Location,
    },
    /// An element that must hold text holds an element.
    #[error("<{element}> contains the element <{child}> where only text is allowed")]
    ElementInText {
        /// The element (local name).
        element: &'static str,
        /// The child element found, as `{namespace}name`.
        child: String,
        /// Where the child element starts.
        location: Location,
    },
    /// An attribute or element value is not of its type.
    #[error("{attribute}=\"{value}\" on <{element}> is not valid: {reason}")]
    InvalidValue {
        /// The element (local name).
        element: &'static str,
        /// The attribute (or `text` for element content).
        attribute: &'static str,
        /// The value found (shortened).
        value: String,
        /// Why it is not valid.
        reason: &'static str,
        /// Where the attribute (or element) starts.
        location: Location,
    },
    /// The Version is not "2.0".
    #[error("<{element}> has Version=\"{found}\"; only \"2.0\" is SAML 2.0")]
    Version {
        /// The element (local name).
        element: &'static str,
        /// The version found (shortened).
        found: String,
        /// Where the attribute starts.
        location: Location,
    },
    /// A timestamp is not a valid SAML `xs:dateTime`.
    #[error("{attribute}=\"{value}\" on <{element}> is not a valid SAML timestamp: {reason}")]
    Timestamp {
        /// The element (local name).
        element: &'static str,
        /// The attribute, e.g. `NotOnOrAfter`.
        attribute: &'static str,
        /// The value found (shortened).
        value: String,
        /// Why it was refused.
        reason: TimestampError,
        /// Where the attribute starts.
        location: Location,
    },
}

/// The longest value quoted in a [`ModelError`], in characters.
pub const MAX_QUOTED_CHARS: usize = 120;

/// Shortens a value for quoting in a message.
pub(crate) fn quote(value: &str) -> String {
    match value.char_indices().nth(MAX_QUOTED_CHARS) {
        Some((cut, _)) => format!("{}…", value.get(..cut).unwrap_or_default()),
        None => value.to_owned(),
    }
}

impl ModelError {
    /// The finding code for this problem.
    pub fn code(&self) -> Code {
        match self {
            ModelError::NotSaml { .. } => Code::SamlNotSaml,
            ModelError::UnexpectedElement { .. }
            | ModelError::MissingAttribute { .. }
            | ModelError::MissingElement { .. }
            | ModelError::Duplicate { .. }
            | ModelError::ElementInText { .. }
            | ModelError::InvalidValue { .. } => Code::SamlStructure,
            ModelError::Version { .. } => Code::SamlVersion,
            ModelError::Timestamp { .. } => Code::SamlTimestampInvalid,
        }
    }

    /// Where in the input the problem is.
    pub fn location(&self) -> Location {
        match self {
            ModelError::NotSaml { location, .. }
            | ModelError::UnexpectedElement { location, .. }
            | ModelError::MissingAttribute { location, .. }
            | ModelError::MissingElement { location, .. }
            | ModelError::Duplicate { location, .. }
            | ModelError::ElementInText { location, .. }
            | ModelError::InvalidValue { location, .. }
            | ModelError::Version { location, .. }
            | ModelError::Timestamp { location, .. } => *location,
        }
    }

    /// The problem as a finding (severity: error).
    pub fn to_finding(&self) -> Finding {
        let finding = Finding::new(self.code(), self.to_string())
            .severity(Severity::Error)
            .at(self.location());
        match self {
            ModelError::Version { found, .. } => finding.expected_found("2.0", found.clone()),
            _ => finding,
        }
    }
}

impl From<&ModelError> for Finding {
    fn from(e: &ModelError) -> Finding {
        e.to_finding()
    }
}

/// A model value together with the findings made while reading it.
///
/// Reading never stops at the first problem: `findings` lists every one,
/// in document order. A caller that validates (rather than inspects) must
/// refuse the value when [`Parsed::has_errors`] is true.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Parsed<T> {
    /// What was read.
    pub value: T,
    /// Problems and notes, in document order.
    pub findings: Vec<Finding>,
}

impl<T> Parsed<T> {
    /// True when some finding is an error.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// The first error finding, if any.
    pub fn first_error(&self) -> Option<&Finding> {
        self.findings.iter().find(|f| f.severity == Severity::Error)
    }

    /// The value when no finding is an error; otherwise the first error.
    pub fn into_strict(self) -> Result<T, Finding> {
        match self
            .findings
            .into_iter()
            .find(|f| f.severity == Severity::Error)
        {
            Some(f) => Err(f),
            None => Ok(self.value),
        }
    }

    /// Applies `f` to the value, keeping the findings.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Parsed<U> {
        Parsed {
            value: f(self.value),
            findings: self.findings,
        }
    }
}
