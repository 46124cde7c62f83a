//! Remote functions as typed values: what `import!` generates for every function (`Api::GET`)
//! and what [`testing`](crate::testing) fakes answer.

use std::fmt;
use std::marker::PhantomData;

use crate::WitValue;
use crate::codec::{DecodeError, WitDecode};

/// A remote function: its name on the wire (`demo:counter/api.{get}`), the types of its
/// parameters `P` (a tuple, as sent: a method's handle first, borrowed resources as
/// [`Handle`](crate::Handle)s) and of its result `R` (`()` for none).
///
/// `import!` generates one per function, e.g. `counter::api::Api::ADD: Function<(u64,), ()>`.
pub struct Function<P, R> {
    name: &'static str,
    _types: PhantomData<fn(P) -> R>,
}

impl<P, R> Function<P, R> {
    /// The function sent as `name`.
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            _types: PhantomData,
        }
    }

    /// Its name on the wire.
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

impl<P, R> Clone for Function<P, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P, R> Copy for Function<P, R> {}

impl<P, R> fmt::Debug for Function<P, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Function({})", self.name)
    }
}

/// A function's parameters as one tuple, read from the `wit-value`s a call sends.
pub trait Params: Sized {
    /// Reads one parameter per `wit-value`.
    fn decode_params(params: &[WitValue]) -> Result<Self, DecodeError>;
}

macro_rules! params {
    ($($name:ident $index:tt),*) => {
        impl<$($name: WitDecode),*> Params for ($($name,)*) {
            fn decode_params(params: &[WitValue]) -> Result<Self, DecodeError> {
                const COUNT: usize = [$($index),*].len();
                if params.len() != COUNT {
                    return Err(DecodeError::new(
                        format!("{COUNT} parameters"),
                        format!("{} parameters", params.len()),
                    ));
                }
                Ok(($(crate::codec::decode::<$name>(&params[$index])?,)*))
            }
        }
    };
}

impl Params for () {
    fn decode_params(params: &[WitValue]) -> Result<Self, DecodeError> {
        if params.is_empty() {
            Ok(())
        } else {
            Err(DecodeError::new(
                "no parameters",
                format!("{} parameters", params.len()),
            ))
        }
    }
}

params!(A 0);
params!(A 0, B 1);
params!(A 0, B 1, C 2);
params!(A 0, B 1, C 2, D 3);
params!(A 0, B 1, C 2, D 3, E 4);
params!(A 0, B 1, C 2, D 3, E 4, F 5);
params!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
params!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
params!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);
params!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);
params!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10);
params!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11);
