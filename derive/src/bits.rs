//! Bit fields: the runs of adjacent `#[netorder(bits = N)]` fields, cut into the words that
//! are loaded and stored whole, the checks of each field's type, and `#[derive(BitValue)]`.

use crate::Member;
use proc_macro2::{Literal, Span, TokenStream as Tokens};
use quote::{format_ident, quote};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields};

/// A field of a word: `bits` bits, `shift` bits above the word's least significant bit.
pub(crate) struct BitField {
    pub(crate) member: usize,
    pub(crate) shift: u32,
    pub(crate) bits: u32,
}

impl BitField {
    /// The byte of the word the field starts in (its most significant bit's).
    pub(crate) fn byte_in_word(&self, word_bytes: usize) -> usize {
        (word_bytes * 8 - (self.shift + self.bits) as usize) / 8
    }
}

/// Whole bytes of adjacent bit fields, loaded and stored as one big-endian number.
pub(crate) struct Word {
    pub(crate) bytes: usize,
    pub(crate) fields: Vec<BitField>,
}

impl Word {
    /// The load and store functions of `netorder::__private` for this width, and the type of
    /// the number.
    pub(crate) fn io(&self) -> (syn::Ident, syn::Ident, Tokens) {
        if self.bytes <= 8 {
            (
                format_ident!("load_be"),
                format_ident!("store_be"),
                quote!(::core::primitive::u64),
            )
        } else {
            (
                format_ident!("load_be128"),
                format_ident!("store_be128"),
                quote!(::core::primitive::u128),
            )
        }
    }

    /// The mask of a field of `bits` bits, as a literal of the word's type.
    pub(crate) fn mask(&self, bits: u32) -> Literal {
        if self.bytes <= 8 {
            Literal::u64_suffixed(if bits == 64 {
                u64::MAX
            } else {
                (1 << bits) - 1
            })
        } else {
            Literal::u128_suffixed((1u128 << bits) - 1)
        }
    }
}

/// The record's layout: whole fields and words of bit fields, in order.
pub(crate) enum Slot {
    Plain(usize),
    Word(Word),
}

/// The name of a field in messages: its ident, or its position.
pub(crate) fn field_name(m: &Member) -> String {
    match &m.field.ident {
        Some(ident) => ident.to_string(),
        None => m.member.to_string(),
    }
}

/// Cuts the fields into slots: a run of adjacent bit fields must fill whole bytes; it is cut
/// at byte boundaries into words of at most 8 bytes (16 where no boundary comes sooner).
pub(crate) fn slots(members: &[Member]) -> syn::Result<Vec<Slot>> {
    let mut slots = Vec::new();
    let mut i = 0;
    while i < members.len() {
        if members[i].bits.is_none() {
            slots.push(Slot::Plain(i));
            i += 1;
            continue;
        }
        let start = i;
        while i < members.len() && members[i].bits.is_some() {
            i += 1;
        }
        let run = &members[start..i];
        let widths: Vec<u32> = run.iter().map(|m| m.bits.unwrap_or(0)).collect();
        let total: u32 = widths.iter().sum();
        if total % 8 != 0 {
            let names: Vec<String> = run.iter().map(|m| format!("`{}`", field_name(m))).collect();
            let missing = 8 - total % 8;
            return Err(syn::Error::new(
                run[0].field.span(),
                format!(
                    "FixedRecord: the run of bit fields {} is {total} bits; a run of adjacent \
                     bit fields must fill whole bytes (a multiple of 8 bits): {missing} bit{} \
                     missing (add a reserved field)",
                    names.join(", "),
                    if missing == 1 { "" } else { "s" }
                ),
            ));
        }
        // Words: from each start, the longest prefix that ends on a byte boundary within 64
        // bits, or else within 128.
        let mut k = 0;
        while k < run.len() {
            let mut best = None;
            for limit in [64, 128] {
                let mut sum = 0;
                for (j, w) in widths.iter().enumerate().skip(k) {
                    sum += w;
                    if sum > limit {
                        break;
                    }
                    if sum % 8 == 0 {
                        best = Some((j, sum));
                    }
                }
                if best.is_some() {
                    break;
                }
            }
            let Some((end, bits)) = best else {
                return Err(syn::Error::new(
                    run[k].field.span(),
                    format!(
                        "FixedRecord: the bit fields from `{}` on reach no byte boundary within \
                         128 bits; put a field that ends on one among them",
                        field_name(&run[k])
                    ),
                ));
            };
            let mut fields = Vec::new();
            let mut used = 0;
            for (j, m) in run.iter().enumerate().take(end + 1).skip(k) {
                used += widths[j];
                fields.push(BitField {
                    member: start + j,
                    shift: bits - used,
                    bits: m.bits.unwrap_or(0),
                });
            }
            slots.push(Slot::Word(Word {
                bytes: (bits / 8) as usize,
                fields,
            }));
            k = end + 1;
        }
    }
    Ok(slots)
}

/// The last segment of a plain type path (`u8`, `core::primitive::u8`), if the type is one.
pub(crate) fn last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => {
            p.path.segments.last().map(|s| s.ident.to_string())
        }
        syn::Type::Group(g) => last_ident(&g.elem),
        syn::Type::Paren(p) => last_ident(&p.elem),
        _ => None,
    }
}

/// Refuses `bits = n` on a type that cannot hold a bit field, where the type's name says so
/// (an alias is checked by a constant assertion in the generated code instead).
pub(crate) fn check_type(ty: &syn::Type, n: u32, span: Span) -> syn::Result<()> {
    let err = |msg: String| Err(syn::Error::new(span, msg));
    match ty {
        syn::Type::Array(_) | syn::Type::Tuple(_) | syn::Type::Reference(_) => {
            return err(format!(
                "FixedRecord: #[netorder(bits = {n})] on `{}`: a bit field is an unsigned \
                 integer (u8..u64), a bool or an enum that derives BitValue",
                quote!(#ty)
            ));
        }
        _ => {}
    }
    let Some(name) = last_ident(ty) else {
        return Ok(());
    };
    let width = match name.as_str() {
        "u8" => 8,
        "u16" => 16,
        "u32" => 32,
        "u64" => 64,
        "bool" => 1,
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => {
            return err(format!(
                "FixedRecord: #[netorder(bits = {n})] on a signed field ({name}): bit fields are \
                 unsigned integers, bools or enums that derive BitValue"
            ));
        }
        "f32" | "f64" => {
            return err(format!(
                "FixedRecord: #[netorder(bits = {n})] on a float field ({name}): bit fields are \
                 unsigned integers, bools or enums that derive BitValue"
            ));
        }
        "u128" | "usize" | "char" => {
            return err(format!(
                "FixedRecord: #[netorder(bits = {n})] on {name}: bit fields are u8, u16, u32, \
                 u64, bool or enums that derive BitValue"
            ));
        }
        _ => return Ok(()),
    };
    if name == "bool" && n != 1 {
        return err(format!(
            "FixedRecord: #[netorder(bits = {n})] on a bool: a bool bit field is one bit \
             (bits = 1); use an unsigned integer for a wider flag"
        ));
    }
    if n > width {
        return err(format!(
            "FixedRecord: #[netorder(bits = {n})] is wider than {name} ({width} bits)"
        ));
    }
    Ok(())
}

/// `#[derive(BitValue)]` for a fieldless enum with explicit, non-negative discriminants.
pub(crate) fn expand_bit_value(input: DeriveInput) -> syn::Result<Tokens> {
    let name = &input.ident;
    let Data::Enum(data) = &input.data else {
        return Err(syn::Error::new(
            input.ident.span(),
            "BitValue: derive it for a fieldless enum with explicit discriminants \
             (integers and bools are BitValues already)",
        ));
    };
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new(
            input.generics.span(),
            "BitValue: the enum cannot be generic",
        ));
    }
    if data.variants.is_empty() {
        return Err(syn::Error::new(
            input.ident.span(),
            "BitValue: an enum without variants has no value to decode",
        ));
    }
    let mut idents = Vec::new();
    for v in &data.variants {
        if !matches!(v.fields, Fields::Unit) {
            return Err(syn::Error::new(
                v.fields.span(),
                format!(
                    "BitValue: variant `{}` has fields; a bit field's enum is fieldless",
                    v.ident
                ),
            ));
        }
        match &v.discriminant {
            None => {
                return Err(syn::Error::new(
                    v.ident.span(),
                    format!(
                        "BitValue: variant `{}` has no explicit discriminant; write every \
                         variant's value on the wire (`{} = 4`)",
                        v.ident, v.ident
                    ),
                ));
            }
            Some((_, syn::Expr::Unary(u))) if matches!(u.op, syn::UnOp::Neg(_)) => {
                return Err(syn::Error::new(
                    u.span(),
                    format!(
                        "BitValue: variant `{}` has a negative discriminant; bit fields are \
                         unsigned",
                        v.ident
                    ),
                ));
            }
            Some(_) => {}
        }
        idents.push(&v.ident);
    }
    let consts: Vec<_> = (0..idents.len())
        .map(|i| format_ident!("__V{}", i))
        .collect();
    let labels: Vec<String> = idents.iter().map(|i| i.to_string()).collect();
    let last = idents.last().expect("at least one variant");
    let tr = quote!(::netorder::record::BitValue);
    let define = quote! {
        #(
            #[allow(non_upper_case_globals)]
            const #consts: ::core::primitive::u64 = #name::#idents as ::core::primitive::u64;
        )*
    };
    Ok(quote! {
        #[automatically_derived]
        impl #tr for #name {
            const MIN_BITS: ::core::primitive::u32 = {
                let __bits = ::netorder::__private::bits_needed(::netorder::__private::max_of(
                    &[#(#name::#idents as ::core::primitive::u64),*],
                ));
                if __bits == 0 { 1 } else { __bits }
            };
            const MAX_BITS: ::core::primitive::u32 = 64;
            const VALUE_BITS: ::core::primitive::u32 = <Self as #tr>::MIN_BITS;
            const __VARIANTS: &'static [(&'static ::core::primitive::str, ::core::primitive::u64)] =
                &[#((#labels, #name::#idents as ::core::primitive::u64)),*];

            #[inline]
            fn to_bits(&self) -> ::core::primitive::u64 {
                match self {
                    #(#name::#idents => #name::#idents as ::core::primitive::u64,)*
                }
            }

            #[inline]
            fn from_bits(__bits: ::core::primitive::u64) -> ::core::option::Option<Self> {
                #define
                match __bits {
                    #(#consts => ::core::option::Option::Some(#name::#idents),)*
                    _ => ::core::option::Option::None,
                }
            }

            #[inline]
            fn __from_valid_bits(__bits: ::core::primitive::u64) -> Self {
                #define
                match __bits {
                    #(#consts => #name::#idents,)*
                    // Unreachable: the decoders call this only on bits `from_bits` accepted.
                    _ => #name::#last,
                }
            }
        }
    })
}
