//! The keys a person may write in a file, read off the serde struct that
//! takes them, so that no list of keys is kept by hand beside its type; and
//! the nearest of them to a misspelt one, for "did you mean" hints.

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

/// The field names of `T`, as its `#[derive(Deserialize)]` hands them to
/// `deserialize_struct` (renames applied); empty for a type that is not a
/// struct.
pub fn of<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    let mut fields = FieldNames(&[]);
    // The deserializer fails on purpose once it has seen the names.
    let _ = T::deserialize(&mut fields);
    fields.0
}

/// The candidate within edit distance 2 of `word`, for "did you mean" hints.
pub fn nearest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    // Optimal string alignment: a swap of two neighbours counts as one
    // edit, as typing mistakes go (`tilte` is one edit from `title`).
    candidates.iter().map(|c| (strsim::osa_distance(word, c), *c)).filter(|&(d, _)| d <= 2).min().map(|(_, c)| c)
}

/// A deserializer that records the field names it is asked for and
/// yields nothing.
struct FieldNames(&'static [&'static str]);

impl<'de> Deserializer<'de> for &mut FieldNames {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        self.0 = fields;
        Err(de::Error::custom("names read"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_names_of_a_structs_fields() {
        #[derive(Deserialize)]
        #[allow(dead_code)]
        struct Raw {
            title: String,
            #[serde(rename = "base-url")]
            base_url: Option<String>,
        }
        assert_eq!(of::<Raw>(), ["title", "base-url"]);
        assert!(of::<String>().is_empty());
    }

    #[test]
    fn the_nearest_key_is_at_most_two_edits_away() {
        assert_eq!(nearest("tilte", &["title", "date"]), Some("title"));
        assert_eq!(nearest("colour", &["title", "date"]), None);
    }
}
