//! Reading rows the same way from both backends.

use serde::de::DeserializeOwned;
use sqlx::Row;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::types::Json;

use crate::Result;

/// Typed column access shared by [`SqliteRow`] and [`PgRow`], so row
/// mappers (story, source, …) are written once.
pub(crate) trait RowExt {
    fn int(&self, c: &str) -> Result<i64>;
    /// The first column as an integer (`SELECT COUNT(*) …`).
    fn int_at0(&self) -> Result<i64>;
    fn opt_int(&self, c: &str) -> Result<Option<i64>>;
    fn text(&self, c: &str) -> Result<String>;
    fn opt_text(&self, c: &str) -> Result<Option<String>>;
    fn boolean(&self, c: &str) -> Result<bool>;
    fn float(&self, c: &str) -> Result<f64>;
    fn opt_bytes(&self, c: &str) -> Result<Option<Vec<u8>>>;
    fn json<T: DeserializeOwned>(&self, c: &str) -> Result<T>;
}

macro_rules! impl_row_ext {
    ($row:ty) => {
        impl RowExt for $row {
            fn int(&self, c: &str) -> Result<i64> {
                Ok(self.try_get::<i64, _>(c)?)
            }
            fn int_at0(&self) -> Result<i64> {
                Ok(self.try_get::<i64, _>(0)?)
            }
            fn opt_int(&self, c: &str) -> Result<Option<i64>> {
                Ok(self.try_get::<Option<i64>, _>(c)?)
            }
            fn text(&self, c: &str) -> Result<String> {
                Ok(self.try_get::<String, _>(c)?)
            }
            fn opt_text(&self, c: &str) -> Result<Option<String>> {
                Ok(self.try_get::<Option<String>, _>(c)?)
            }
            fn boolean(&self, c: &str) -> Result<bool> {
                Ok(self.try_get::<bool, _>(c)?)
            }
            fn float(&self, c: &str) -> Result<f64> {
                Ok(self.try_get::<f64, _>(c)?)
            }
            fn opt_bytes(&self, c: &str) -> Result<Option<Vec<u8>>> {
                Ok(self.try_get::<Option<Vec<u8>>, _>(c)?)
            }
            fn json<T: DeserializeOwned>(&self, c: &str) -> Result<T> {
                Ok(self.try_get::<Json<T>, _>(c)?.0)
            }
        }
    };
}

impl_row_ext!(SqliteRow);
impl_row_ext!(PgRow);
