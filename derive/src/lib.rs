//! `#[derive(FixedRecord)]` for netorder: a struct whose fields all have a fixed encoded size
//! (integers, floats, `bool`, arrays, tuples and other `FixedRecord` structs) gets an encoder
//! and a decoder at constant offsets, with one length check per record instead of one per
//! field. The bytes are those of netorder's serde path with the default `Config` (network
//! order, fixed-width integers), and of Python's `struct` with a `!` format.
//!
//! Use it through netorder (feature `derive`, on by default): `netorder::record::FixedRecord`.
//! The generated code names the crate `::netorder`.

use proc_macro::TokenStream;
use proc_macro2::TokenStream as Tokens;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Index, parse_macro_input, parse_quote};

/// Derives `netorder::record::FixedRecord` for a struct with named fields, a tuple struct or a
/// unit struct. Every field's type must implement `FixedRecord`; enums and unions are refused
/// (their size depends on the variant), as are types of variable size (`char`, `Vec`,
/// `String`, `Option`), which fail to compile with "the trait `FixedRecord` is not
/// implemented".
///
/// `#[netorder(bits = N)]` on a field of type `u8`, `u16`, `u32`, `u64`, `bool` or an enum
/// that derives `BitValue` makes it a bit field: adjacent bit fields form a run, packed most
/// significant bit first, that must fill whole bytes. A struct with named fields and no
/// generics also gets two views, `NameView<'a>` over `&'a [u8]` and `NameViewMut<'a>` over
/// `&'a mut [u8]`, with a getter per field (and a setter, `set_field`, on the mutable one).
///
/// Beside serde's derives it reads `#[serde(rename)]`, `#[serde(rename_all)]` and
/// `#[serde(transparent)]`, so that an error's field path is the serde path's, and refuses the
/// serde attributes that would make the two paths' bytes differ (`skip*`, `flatten`). A
/// `#[repr(packed)]` struct's fields are copied out, never borrowed.
#[proc_macro_derive(FixedRecord, attributes(netorder))]
pub fn derive_fixed_record(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match expand(input) {
        Ok(tokens) => tokens.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// Derives `netorder::record::BitValue` for a fieldless enum whose every variant has an
/// explicit, non-negative discriminant, so that it can be the type of a bit field
/// (`#[netorder(bits = N)]`): an unknown value is refused when decoding.
#[proc_macro_derive(BitValue)]
pub fn derive_bit_value(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match bits::expand_bit_value(input) {
        Ok(tokens) => tokens.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

mod bits;
mod view;

/// One field of the struct, as the generated code names it.
pub(crate) struct Member<'a> {
    /// `self.#member`: the field's ident or index.
    pub(crate) member: Tokens,
    /// What turns the error `__e` into one with this field's path.
    pub(crate) locate: Tokens,
    /// The field's segment in a description (`None` for a newtype or transparent struct).
    pub(crate) seg: Option<Tokens>,
    pub(crate) ty: &'a syn::Type,
    /// `#[netorder(bits = N)]`.
    pub(crate) bits: Option<u32>,
    /// The field itself (named fields: views use its ident and visibility).
    pub(crate) field: &'a syn::Field,
}

fn expand(mut input: DeriveInput) -> syn::Result<Tokens> {
    let fields = match &input.data {
        Data::Struct(s) => s.fields.clone(),
        Data::Enum(e) => {
            return Err(syn::Error::new(
                e.enum_token.span(),
                "FixedRecord: an enum's size depends on its variant; use the serde path \
                 (netorder::to_slice / from_bytes) for enums, or derive BitValue for a \
                 fieldless enum in a bit field",
            ));
        }
        Data::Union(u) => {
            return Err(syn::Error::new(
                u.union_token.span(),
                "FixedRecord: unions are not supported",
            ));
        }
    };
    let krate = quote!(::netorder::record);
    let tr = quote!(#krate::FixedRecord);
    let bv = quote!(#krate::BitValue);
    let private = quote!(::netorder::__private);
    let generic = !input.generics.params.is_empty();

    // Every type parameter must itself be a FixedRecord.
    for param in input.generics.type_params_mut() {
        param
            .bounds
            .push(parse_quote!(::netorder::record::FixedRecord));
    }
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();

    let serde = SerdeAttrs::of_container(&input.attrs)?;
    let packed = is_packed(&input.attrs)?;

    let members: Vec<Member> = match &fields {
        // `#[serde(transparent)]`: serde reads the one field as the struct itself, with no
        // segment in an error's path.
        Fields::Named(named) if serde.transparent && named.named.len() == 1 => {
            let f = &named.named[0];
            field_serde_attrs(&f.attrs)?;
            let ident = f.ident.as_ref().expect("named field");
            vec![Member {
                member: quote!(#ident),
                locate: quote!(__e),
                seg: None,
                ty: &f.ty,
                bits: netorder_bits(f)?,
                field: f,
            }]
        }
        Fields::Named(named) => named
            .named
            .iter()
            .map(|f| {
                let ident = f.ident.as_ref().expect("named field");
                let label = match field_serde_attrs(&f.attrs)? {
                    Some(renamed) => renamed,
                    None => {
                        let label = ident.to_string();
                        let label = label.strip_prefix("r#").unwrap_or(&label);
                        serde
                            .rename_all
                            .map_or(label.to_owned(), |case| case.apply(label))
                    }
                };
                Ok(Member {
                    member: quote!(#ident),
                    locate: quote!(#private::in_field(__e, #label)),
                    seg: Some(quote!(#private::DescribeSeg::Field(#label))),
                    ty: &f.ty,
                    bits: netorder_bits(f)?,
                    field: f,
                })
            })
            .collect::<syn::Result<_>>()?,
        // A newtype (one unnamed field) adds nothing to an error's path, as in serde, whose
        // derive writes it with `serialize_newtype_struct`.
        Fields::Unnamed(unnamed) if unnamed.unnamed.len() == 1 => {
            let f = &unnamed.unnamed[0];
            field_serde_attrs(&f.attrs)?;
            vec![Member {
                member: quote!(0),
                locate: quote!(__e),
                seg: None,
                ty: &f.ty,
                bits: netorder_bits(f)?,
                field: f,
            }]
        }
        Fields::Unnamed(unnamed) => unnamed
            .unnamed
            .iter()
            .enumerate()
            .map(|(i, f)| {
                field_serde_attrs(&f.attrs)?;
                let index = Index::from(i);
                Ok(Member {
                    member: quote!(#index),
                    locate: quote!(#private::in_index(__e, #i)),
                    seg: Some(quote!(#private::DescribeSeg::Index(#i))),
                    ty: &f.ty,
                    bits: netorder_bits(f)?,
                    field: f,
                })
            })
            .collect::<syn::Result<_>>()?,
        Fields::Unit => Vec::new(),
    };

    let slots = bits::slots(&members)?;
    let vars: Vec<_> = (0..members.len())
        .map(|i| format_ident!("__field{}", i))
        .collect();

    // A field of a `#[repr(packed)]` struct may be unaligned: it is copied out (as std's
    // derives do; a field that is not `Copy` is then a compile error), never borrowed.
    let field_ref = |m: &Member| {
        let member = &m.member;
        if packed {
            quote!(&{ self.#member })
        } else {
            quote!(&self.#member)
        }
    };

    let mut sizes = Vec::new();
    let mut writes = Vec::new();
    let mut checks = Vec::new();
    let mut valid = Vec::new();
    let mut reads = Vec::new();
    let mut fallible = Vec::new();
    let mut encode_checks = Vec::new();
    let mut describes = Vec::new();
    let mut asserts = Vec::new();
    for slot in &slots {
        match slot {
            bits::Slot::Plain(i) => {
                let m = &members[*i];
                let (ty, locate, var) = (m.ty, &m.locate, &vars[*i]);
                let field = field_ref(m);
                sizes.push(quote_spanned!(ty.span()=> <#ty as #tr>::SIZE));
                writes.push(quote_spanned! {ty.span()=>
                    let __end = __at + <#ty as #tr>::SIZE;
                    <#ty as #tr>::__write(#field, &mut __out[__at..__end]);
                    __at = __end;
                });
                checks.push(quote_spanned! {ty.span()=>
                    let __end = __at + <#ty as #tr>::SIZE;
                    if let ::core::result::Result::Err(__e) =
                        <#ty as #tr>::__validate(&__bytes[__at..__end], __offset + __at)
                    {
                        return ::core::result::Result::Err(#locate);
                    }
                    __at = __end;
                });
                valid.push(quote_spanned! {ty.span()=>
                    let __end = __at + <#ty as #tr>::SIZE;
                    __ok &= <#ty as #tr>::__is_valid(&__bytes[__at..__end]);
                    __at = __end;
                });
                reads.push(quote_spanned! {ty.span()=>
                    let __end = __at + <#ty as #tr>::SIZE;
                    let #var = <#ty as #tr>::__read(&__bytes[__at..__end]);
                    __at = __end;
                });
                fallible.push(quote_spanned!(ty.span()=> <#ty as #tr>::__FALLIBLE));
                encode_checks.push(quote_spanned! {ty.span()=>
                    if <#ty as #tr>::__FALLIBLE {
                        if let ::core::result::Result::Err(__e) = <#ty as #tr>::__check(#field) {
                            return ::core::result::Result::Err(#locate);
                        }
                    }
                });
                describes.push(match &m.seg {
                    Some(seg) => quote! {
                        __d.enter(#seg);
                        <#ty as #tr>::__describe(__d);
                        __d.leave();
                    },
                    None => quote!(<#ty as #tr>::__describe(__d);),
                });
            }
            bits::Slot::Word(word) => {
                let w = word.bytes;
                let (load, store, wty) = word.io();
                sizes.push(quote!(#w));
                let mut parts = Vec::new();
                let mut extracts = Vec::new();
                for bf in &word.fields {
                    let m = &members[bf.member];
                    let (ty, locate, var) = (m.ty, &m.locate, &vars[bf.member]);
                    let (shift, mask, n) = (bf.shift, word.mask(bf.bits), bf.bits);
                    let field = field_ref(m);
                    parts.push(quote_spanned! {ty.span()=>
                        __w |= ((<#ty as #bv>::to_bits(#field) as #wty) & #mask) << #shift;
                    });
                    let raw = quote!((((__w >> #shift) & #mask) as ::core::primitive::u64));
                    extracts.push((bf, raw.clone()));
                    reads.push(quote_spanned! {ty.span()=>
                        let #var = <#ty as #bv>::__from_valid_bits(#raw);
                    });
                    let _ = locate;
                    if n < 64 {
                        fallible.push(quote_spanned!(ty.span()=> (#n < <#ty as #bv>::VALUE_BITS)));
                        encode_checks.push(quote_spanned! {ty.span()=>
                            if #n < <#ty as #bv>::VALUE_BITS {
                                let __v = <#ty as #bv>::to_bits(#field);
                                if __v >> #n != 0 {
                                    let __e = #private::bits_out_of_range(__v, #n);
                                    return ::core::result::Result::Err(#locate);
                                }
                            }
                        });
                    }
                    let kind = quote_spanned!(ty.span()=> #private::describe_bit_kind::<#ty>());
                    describes.push(match &m.seg {
                        Some(seg) => quote! {
                            __d.enter(#seg);
                            __d.bits(#n, #kind);
                            __d.leave();
                        },
                        None => quote!(__d.bits(#n, #kind);),
                    });
                    let what = format!(
                        "FixedRecord: field `{}`: #[netorder(bits = {n})] is outside what its \
                         type allows (BitValue::MIN_BITS..=BitValue::MAX_BITS: at most the \
                         integer's width, one bit for a bool, at least the bits of an enum's \
                         largest discriminant)",
                        bits::field_name(m)
                    );
                    asserts.push(quote_spanned! {ty.span()=>
                        ::core::assert!(
                            #n >= <#ty as #bv>::MIN_BITS && #n <= <#ty as #bv>::MAX_BITS,
                            #what
                        );
                    });
                }
                writes.push(quote! {
                    let __end = __at + #w;
                    let mut __w: #wty = 0;
                    #(#parts)*
                    #private::#store::<#w>(__w, &mut __out[__at..__end]);
                    __at = __end;
                });
                reads_word(&mut reads, &word.fields, w, &load);
                let oks = extracts.iter().map(|(bf, raw)| {
                    let ty = members[bf.member].ty;
                    quote_spanned!(ty.span()=> __ok &= <#ty as #bv>::from_bits(#raw).is_some();)
                });
                valid.push(quote! {
                    let __end = __at + #w;
                    let __w = #private::#load::<#w>(&__bytes[__at..__end]);
                    #(#oks)*
                    __at = __end;
                });
                let errs = extracts.iter().map(|(bf, raw)| {
                    let m = &members[bf.member];
                    let (ty, locate) = (m.ty, &m.locate);
                    let byte = bf.byte_in_word(w);
                    quote_spanned! {ty.span()=>
                        if <#ty as #bv>::from_bits(#raw).is_none() {
                            let __e = #private::no_variant(__offset + __at + #byte, #raw);
                            return ::core::result::Result::Err(#locate);
                        }
                    }
                });
                checks.push(quote! {
                    let __end = __at + #w;
                    let __w = #private::#load::<#w>(&__bytes[__at..__end]);
                    #(#errs)*
                    __at = __end;
                });
            }
        }
    }
    // `reads` holds, for words, the load first and then the fields: see `reads_word`.
    let build = match &fields {
        Fields::Named(_) => {
            let names = members.iter().map(|m| &m.member);
            quote!(Self { #(#names: #vars),* })
        }
        Fields::Unnamed(_) => quote!(Self(#(#vars),*)),
        Fields::Unit => quote!(Self),
    };
    let has_bits = members.iter().any(|m| m.bits.is_some());
    // The bit fields' width checks: right away for a concrete struct, when `SIZE` is
    // evaluated for a generic one (its field types may be parameters).
    let (eager_asserts, size_asserts) = match (has_bits, generic) {
        (false, _) => (quote!(), quote!()),
        (true, false) => (quote!(const _: () = { #(#asserts)* };), quote!()),
        (true, true) => (quote!(), quote!(#(#asserts)*)),
    };
    // Records without bit fields keep exactly the code they had: no `__check`, and the
    // trait's default `__FALLIBLE` (false).
    let bit_items = if has_bits || !fallible.is_empty() {
        quote! {
            const __FALLIBLE: ::core::primitive::bool = false #(|| #fallible)*;

            #[inline]
            #[allow(unused_variables)]
            fn __check(&self) -> ::core::result::Result<(), ::netorder::Error> {
                #(#encode_checks)*
                ::core::result::Result::Ok(())
            }
        }
    } else {
        quote!()
    };

    let views = if !generic && !no_views(&input.attrs)? {
        if let Fields::Named(_) = &fields {
            view::views(&input, &members, &slots)?
        } else {
            quote!()
        }
    } else {
        quote!()
    };

    Ok(quote! {
        #eager_asserts

        #[automatically_derived]
        impl #impl_generics #tr for #name #ty_generics #where_clause {
            const SIZE: ::core::primitive::usize = {
                #size_asserts
                0 #(+ #sizes)*
            };

            #[inline]
            #[allow(unused_variables, unused_assignments, unused_mut)]
            fn __write(&self, __out: &mut [::core::primitive::u8]) {
                let mut __at = 0usize;
                #(#writes)*
            }

            #[inline]
            #[allow(unused_variables, unused_assignments, unused_mut)]
            fn __is_valid(__bytes: &[::core::primitive::u8]) -> ::core::primitive::bool {
                let mut __at = 0usize;
                let mut __ok = true;
                #(#valid)*
                __ok
            }

            #[inline]
            #[allow(unused_variables, unused_assignments, unused_mut)]
            fn __validate(
                __bytes: &[::core::primitive::u8],
                __offset: ::core::primitive::usize,
            ) -> ::core::result::Result<(), ::netorder::Error> {
                let mut __at = 0usize;
                #(#checks)*
                ::core::result::Result::Ok(())
            }

            #[inline]
            #[allow(unused_variables, unused_assignments, unused_mut)]
            fn __read(__bytes: &[::core::primitive::u8]) -> Self {
                let mut __at = 0usize;
                #(#reads)*
                #build
            }

            #bit_items

            #[allow(unused_variables)]
            fn __describe(__d: &mut dyn #private::Describe) {
                #(#describes)*
            }
        }

        #views
    })
}

/// Puts a word's load before its fields' reads (pushed just before, one per field).
fn reads_word(reads: &mut Vec<Tokens>, fields: &[bits::BitField], w: usize, load: &syn::Ident) {
    let at = reads.len() - fields.len();
    reads.insert(
        at,
        quote! {
            let __end = __at + #w;
            let __w = ::netorder::__private::#load::<#w>(&__bytes[__at..__end]);
            __at = __end;
        },
    );
}

/// Whether the struct says `#[netorder(no_views)]`: no `NameView`/`NameViewMut` for it.
fn no_views(attrs: &[syn::Attribute]) -> syn::Result<bool> {
    let mut found = false;
    for attr in attrs.iter().filter(|a| a.path().is_ident("netorder")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("no_views") {
                found = true;
                Ok(())
            } else {
                Err(meta
                    .error("FixedRecord: the only #[netorder(...)] key on a struct is `no_views`"))
            }
        })?;
    }
    Ok(found)
}

/// The `N` of a field's `#[netorder(bits = N)]`, if any; other `netorder` keys are refused.
fn netorder_bits(field: &syn::Field) -> syn::Result<Option<u32>> {
    let mut bits = None;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("netorder")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("bits") {
                let lit: syn::LitInt = meta.value()?.parse()?;
                let n: u32 = lit.base10_parse()?;
                if bits.is_some() {
                    return Err(meta.error("FixedRecord: `bits` given twice"));
                }
                if n == 0 || n > 64 {
                    return Err(syn::Error::new(
                        lit.span(),
                        format!(
                            "FixedRecord: #[netorder(bits = {n})]: a bit field is 1 to 64 bits"
                        ),
                    ));
                }
                bits = Some((n, lit.span()));
                Ok(())
            } else {
                Err(meta.error("FixedRecord: the only #[netorder(...)] key is `bits = N`"))
            }
        })?;
    }
    match bits {
        Some((n, span)) => {
            bits::check_type(&field.ty, n, span)?;
            Ok(Some(n))
        }
        None => Ok(None),
    }
}

/// Whether the struct is `#[repr(packed)]` (or `packed(N)`).
fn is_packed(attrs: &[syn::Attribute]) -> syn::Result<bool> {
    let mut packed = false;
    for attr in attrs.iter().filter(|a| a.path().is_ident("repr")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("packed") {
                packed = true;
            }
            skip_meta_value(&meta)
        })?;
    }
    Ok(packed)
}

/// The container's `#[serde(...)]` attributes that change what the serde path reads.
#[derive(Default)]
struct SerdeAttrs {
    rename_all: Option<Case>,
    transparent: bool,
}

/// `#[serde(...)]` attributes that make the serde path's bytes differ from the derive's (a
/// field left out, or a map): the two paths would disagree, so the derive refuses them.
/// (`with`, `serialize_with`, `into`, `from`... are the user's to keep byte-compatible:
/// `serde_big_array`'s `with` for `[u8; 64]` writes the same bytes.)
const CHANGES_THE_BYTES: &[&str] = &[
    "skip",
    "skip_serializing",
    "skip_deserializing",
    "skip_serializing_if",
    "flatten",
];

fn refuse_if_it_changes_the_bytes(meta: &syn::meta::ParseNestedMeta) -> syn::Result<()> {
    match CHANGES_THE_BYTES
        .iter()
        .find(|name| meta.path.is_ident(name))
    {
        Some(name) => Err(meta.error(format!(
            "FixedRecord: #[serde({name})] makes serde's bytes differ from FixedRecord's; \
             derive only one of them for this type"
        ))),
        None => Ok(()),
    }
}

impl SerdeAttrs {
    fn of_container(attrs: &[syn::Attribute]) -> syn::Result<Self> {
        let mut found = SerdeAttrs::default();
        for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
            attr.parse_nested_meta(|meta| {
                refuse_if_it_changes_the_bytes(&meta)?;
                if meta.path.is_ident("transparent") {
                    found.transparent = true;
                    Ok(())
                } else if meta.path.is_ident("rename_all") {
                    if let Some(name) = deserialize_name(&meta)? {
                        found.rename_all = Some(Case::parse(&name)?);
                    }
                    Ok(())
                } else {
                    skip_meta_value(&meta)
                }
            })?;
        }
        Ok(found)
    }
}

/// A field's `#[serde(...)]` attributes: the name serde reads it by, if renamed.
fn field_serde_attrs(attrs: &[syn::Attribute]) -> syn::Result<Option<String>> {
    let mut renamed = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            refuse_if_it_changes_the_bytes(&meta)?;
            if meta.path.is_ident("rename") {
                if let Some(name) = deserialize_name(&meta)? {
                    renamed = Some(name.value());
                }
                Ok(())
            } else {
                skip_meta_value(&meta)
            }
        })?;
    }
    Ok(renamed)
}

/// The name in `rename = "name"` or `rename(deserialize = "name")` (what the decoder, and so
/// the serde path's error paths, use).
fn deserialize_name(meta: &syn::meta::ParseNestedMeta) -> syn::Result<Option<syn::LitStr>> {
    if meta.input.peek(syn::Token![=]) {
        return Ok(Some(meta.value()?.parse()?));
    }
    let mut name = None;
    meta.parse_nested_meta(|inner| {
        let value: syn::LitStr = inner.value()?.parse()?;
        if inner.path.is_ident("deserialize") {
            name = Some(value);
        }
        Ok(())
    })?;
    Ok(name)
}

/// Consumes `= value` or `(...)` after an attribute key this derive does not look at.
fn skip_meta_value(meta: &syn::meta::ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        content.parse::<Tokens>()?;
    }
    Ok(())
}

/// serde's `rename_all` cases, applied to a field name as serde applies them.
#[derive(Clone, Copy)]
enum Case {
    Same,
    Upper,
    Pascal,
    Camel,
    Kebab,
    ScreamingKebab,
}

impl Case {
    fn parse(name: &syn::LitStr) -> syn::Result<Case> {
        Ok(match name.value().as_str() {
            "lowercase" | "snake_case" => Case::Same,
            "UPPERCASE" | "SCREAMING_SNAKE_CASE" => Case::Upper,
            "PascalCase" => Case::Pascal,
            "camelCase" => Case::Camel,
            "kebab-case" => Case::Kebab,
            "SCREAMING-KEBAB-CASE" => Case::ScreamingKebab,
            other => {
                return Err(syn::Error::new(
                    name.span(),
                    format!("FixedRecord: unknown serde rename_all case {other:?}"),
                ));
            }
        })
    }

    /// serde_derive's `RenameRule::apply_to_field`.
    fn apply(self, field: &str) -> String {
        match self {
            Case::Same => field.to_owned(),
            Case::Upper => field.to_ascii_uppercase(),
            Case::Pascal => {
                let mut pascal = String::new();
                let mut capitalize = true;
                for ch in field.chars() {
                    if ch == '_' {
                        capitalize = true;
                    } else if capitalize {
                        pascal.push(ch.to_ascii_uppercase());
                        capitalize = false;
                    } else {
                        pascal.push(ch);
                    }
                }
                pascal
            }
            Case::Camel => {
                let pascal = Case::Pascal.apply(field);
                let mut chars = pascal.chars();
                match chars.next() {
                    Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
                    None => pascal,
                }
            }
            Case::Kebab => field.replace('_', "-"),
            Case::ScreamingKebab => field.to_ascii_uppercase().replace('_', "-"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Case;

    /// serde_derive's own cases for a field (its `rename_field` test).
    #[test]
    fn cases_apply_as_in_serde() {
        let cases = [
            ("lowercase", "very_tasty", "very_tasty"),
            ("UPPERCASE", "very_tasty", "VERY_TASTY"),
            ("PascalCase", "very_tasty", "VeryTasty"),
            ("camelCase", "very_tasty", "veryTasty"),
            ("snake_case", "very_tasty", "very_tasty"),
            ("SCREAMING_SNAKE_CASE", "very_tasty", "VERY_TASTY"),
            ("kebab-case", "very_tasty", "very-tasty"),
            ("SCREAMING-KEBAB-CASE", "very_tasty", "VERY-TASTY"),
            ("camelCase", "a", "a"),
            ("PascalCase", "a", "A"),
            ("camelCase", "_x", "x"),
        ];
        for (name, field, want) in cases {
            let lit = syn::LitStr::new(name, proc_macro2::Span::call_site());
            let case = Case::parse(&lit).unwrap_or_else(|_| panic!("{name}"));
            assert_eq!(case.apply(field), want, "{name} {field}");
        }
        let lit = syn::LitStr::new("Title Case", proc_macro2::Span::call_site());
        assert!(Case::parse(&lit).is_err());
    }
}
