//! The views of a derived record: `NameView<'a>` over `&'a [u8]` and `NameViewMut<'a>` over
//! `&'a mut [u8]`, with one length check and the record's validity checks when made, then a
//! getter per field (one load at a constant offset into a fixed-size array: no bounds check)
//! and, on the mutable one, a setter per field.

use crate::Member;
use crate::bits::{Slot, field_name, last_ident};
use proc_macro2::TokenStream as Tokens;
use quote::{format_ident, quote, quote_spanned};
use syn::DeriveInput;
use syn::spanned::Spanned;

/// The views' own methods: a field of one of these names would clash with them.
const RESERVED: &[&str] = &[
    "new",
    "payload",
    "payload_mut",
    "as_bytes",
    "to_record",
    "as_view",
    "set_record",
    "record",
];

/// Whether every value of the type can be written (a number, `bool`, or an array of them):
/// its setter returns `()`. Any other type (another record, which may have bit fields; an
/// alias) gets a setter that returns a `Result`.
fn never_refused(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Array(a) => never_refused(&a.elem),
        syn::Type::Path(p) => {
            let plain = p.path.segments.iter().all(|s| s.arguments.is_empty());
            plain
                && matches!(
                    last_ident(ty).as_deref(),
                    Some(
                        "u8" | "u16"
                            | "u32"
                            | "u64"
                            | "u128"
                            | "i8"
                            | "i16"
                            | "i32"
                            | "i64"
                            | "i128"
                            | "f32"
                            | "f64"
                            | "bool"
                    )
                )
        }
        _ => false,
    }
}

pub(crate) fn views(
    input: &DeriveInput,
    members: &[Member],
    slots: &[Slot],
) -> syn::Result<Tokens> {
    let name = &input.ident;
    let vis = &input.vis;
    let view = format_ident!("{}View", name);
    let view_mut = format_ident!("{}ViewMut", name);
    let tr = quote!(::netorder::record::FixedRecord);
    let bv = quote!(::netorder::record::BitValue);
    let private = quote!(::netorder::__private);
    let result = quote!(::core::result::Result<(), ::netorder::Error>);

    for m in members {
        let field = field_name(m);
        let field = field.strip_prefix("r#").unwrap_or(&field);
        let setter = format!("set_{field}");
        if let Some(clash) = RESERVED
            .iter()
            .find(|r| **r == field || **r == setter.as_str())
        {
            return Err(syn::Error::new(
                m.field.span(),
                format!(
                    "FixedRecord: field `{field}` clashes with the views' method `{clash}` \
                     ({view} and {view_mut}); rename the field, or add \
                     #[netorder(no_views)] to the struct"
                ),
            ));
        }
    }

    let mut getters = Vec::new();
    let mut setters = Vec::new();
    let mut offset = quote!(0usize);
    for slot in slots {
        match slot {
            Slot::Plain(i) => {
                let m = &members[*i];
                let ty = m.ty;
                let (fvis, ident, docs) = parts(m);
                let set = setter_ident(m);
                let locate = &m.locate;
                getters.push(quote_spanned! {ty.span()=>
                    #(#docs)*
                    #[inline]
                    #fvis fn #ident(&self) -> #ty {
                        const __AT: ::core::primitive::usize = #offset;
                        <#ty as #tr>::__read(&self.__header[__AT..__AT + <#ty as #tr>::SIZE])
                    }
                });
                let doc = format!("Writes the `{}` field.", field_name(m));
                setters.push(if never_refused(ty) {
                    quote_spanned! {ty.span()=>
                        #[doc = #doc]
                        #[inline]
                        #fvis fn #set(&mut self, value: #ty) {
                            const __AT: ::core::primitive::usize = #offset;
                            <#ty as #tr>::__write(
                                &value,
                                &mut self.__header[__AT..__AT + <#ty as #tr>::SIZE],
                            );
                        }
                    }
                } else {
                    let doc2 = " A value with a bit field that does not fit is refused \
                                (`ErrorKind::BitsOutOfRange`), and nothing is written.";
                    quote_spanned! {ty.span()=>
                        #[doc = #doc]
                        #[doc = #doc2]
                        #[inline]
                        #fvis fn #set(&mut self, value: #ty) -> #result {
                            const __AT: ::core::primitive::usize = #offset;
                            if <#ty as #tr>::__FALLIBLE {
                                if let ::core::result::Result::Err(__e) =
                                    <#ty as #tr>::__check(&value)
                                {
                                    return ::core::result::Result::Err(#locate);
                                }
                            }
                            <#ty as #tr>::__write(
                                &value,
                                &mut self.__header[__AT..__AT + <#ty as #tr>::SIZE],
                            );
                            ::core::result::Result::Ok(())
                        }
                    }
                });
                offset = quote!(#offset + <#ty as #tr>::SIZE);
            }
            Slot::Word(word) => {
                let w = word.bytes;
                let (load, store, wty) = word.io();
                for bf in &word.fields {
                    let m = &members[bf.member];
                    let ty = m.ty;
                    let (fvis, ident, docs) = parts(m);
                    let set = setter_ident(m);
                    let locate = &m.locate;
                    let (shift, mask, n) = (bf.shift, word.mask(bf.bits), bf.bits);
                    getters.push(quote_spanned! {ty.span()=>
                        #(#docs)*
                        #[inline]
                        #fvis fn #ident(&self) -> #ty {
                            const __AT: ::core::primitive::usize = #offset;
                            let __w = #private::#load::<#w>(&self.__header[__AT..__AT + #w]);
                            <#ty as #bv>::__from_valid_bits(
                                ((__w >> #shift) & #mask) as ::core::primitive::u64,
                            )
                        }
                    });
                    let check = if n < 64 {
                        quote_spanned! {ty.span()=>
                            if #n < <#ty as #bv>::VALUE_BITS && __v >> #n != 0 {
                                let __e = #private::bits_out_of_range(__v, #n);
                                return ::core::result::Result::Err(#locate);
                            }
                        }
                    } else {
                        quote!()
                    };
                    let doc = format!(
                        "Writes the `{}` bit field ({n} bits). A value that does not fit is \
                         refused (`ErrorKind::BitsOutOfRange`), and nothing is written.",
                        field_name(m)
                    );
                    setters.push(quote_spanned! {ty.span()=>
                        #[doc = #doc]
                        #[inline]
                        #fvis fn #set(&mut self, value: #ty) -> #result {
                            const __AT: ::core::primitive::usize = #offset;
                            let __v = <#ty as #bv>::to_bits(&value);
                            #check
                            let __bytes = &mut self.__header[__AT..__AT + #w];
                            let __w = #private::#load::<#w>(__bytes);
                            let __w = (__w & !(#mask << #shift))
                                | (((__v as #wty) & #mask) << #shift);
                            #private::#store::<#w>(__w, __bytes);
                            ::core::result::Result::Ok(())
                        }
                    });
                }
                offset = quote!(#offset + #w);
            }
        }
    }

    let size = quote!(<#name as #tr>::SIZE);
    let view_doc = format!(
        "A zero-copy view of a [`{name}`] at the start of a byte slice (made by \
         `#[derive(FixedRecord)]`): the length and the record's validity are checked once, by \
         [`{view}::new`]; then each field's getter reads it in place, and \
         [`payload`]({view}::payload) is the rest of the slice. See `netorder::record::view`."
    );
    let view_mut_doc = format!(
        "A zero-copy mutable view of a [`{name}`] at the start of a byte slice (made by \
         `#[derive(FixedRecord)]`): checked once by [`{view_mut}::new`], then a getter and a \
         setter (`set_field`) per field, in place. See `netorder::record::view`."
    );
    let new_doc = format!(
        "A view of the [`{name}`] at the start of `bytes`; the bytes after it are the payload. \
         Fewer bytes than the record's `SIZE` is `ErrorKind::Incomplete`; bytes that the \
         record's decoder refuses (a bool that is not 0 or 1, an enum bit field that is no \
         variant) are the same error as `fixed::from_bytes` gives."
    );
    let to_record_doc = format!("The whole [`{name}`], decoded (a copy).");
    let set_record_doc = format!(
        "Writes a whole [`{name}`] over the viewed one: refused (and nothing written) like \
         `fixed::to_slice` when a bit field's value does not fit."
    );
    let getters_again = getters.clone();
    Ok(quote! {
        #[doc = #view_doc]
        #[derive(Clone, Copy)]
        #[allow(dead_code)]
        #vis struct #view<'__a> {
            __header: &'__a [::core::primitive::u8; #size],
            __payload: &'__a [::core::primitive::u8],
        }

        #[automatically_derived]
        #[allow(dead_code, clippy::unused_unit, clippy::wrong_self_convention)]
        impl<'__a> #view<'__a> {
            #[doc = #new_doc]
            #[inline]
            #vis fn new(
                bytes: &'__a [::core::primitive::u8],
            ) -> ::core::result::Result<Self, ::netorder::Error> {
                let (__header, __payload) = #private::view::<#name, { #size }>(bytes)?;
                ::core::result::Result::Ok(Self { __header, __payload })
            }

            /// The record's bytes (the first `SIZE` bytes of the slice).
            #[inline]
            #vis fn as_bytes(&self) -> &'__a [::core::primitive::u8; #size] {
                self.__header
            }

            /// The bytes after the record.
            #[inline]
            #vis fn payload(&self) -> &'__a [::core::primitive::u8] {
                self.__payload
            }

            #[doc = #to_record_doc]
            #[inline]
            #vis fn to_record(&self) -> #name {
                <#name as #tr>::__read(self.__header)
            }

            #(#getters)*
        }

        #[automatically_derived]
        impl ::core::fmt::Debug for #view<'_> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(::core::stringify!(#view))
                    .field("bytes", self.__header)
                    .field("payload_len", &self.__payload.len())
                    .finish()
            }
        }

        #[automatically_derived]
        impl ::core::fmt::Debug for #view_mut<'_> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Debug::fmt(&self.as_view(), f)
            }
        }

        #[doc = #view_mut_doc]
        #[allow(dead_code)]
        #vis struct #view_mut<'__a> {
            __header: &'__a mut [::core::primitive::u8; #size],
            __payload: &'__a mut [::core::primitive::u8],
        }

        #[automatically_derived]
        #[allow(dead_code, clippy::unused_unit, clippy::wrong_self_convention)]
        impl<'__a> #view_mut<'__a> {
            #[doc = #new_doc]
            #[inline]
            #vis fn new(
                bytes: &'__a mut [::core::primitive::u8],
            ) -> ::core::result::Result<Self, ::netorder::Error> {
                let (__header, __payload) = #private::view_mut::<#name, { #size }>(bytes)?;
                ::core::result::Result::Ok(Self { __header, __payload })
            }

            /// The record's bytes (the first `SIZE` bytes of the slice).
            #[inline]
            #vis fn as_bytes(&self) -> &[::core::primitive::u8; #size] {
                self.__header
            }

            /// The bytes after the record.
            #[inline]
            #vis fn payload(&self) -> &[::core::primitive::u8] {
                self.__payload
            }

            /// The bytes after the record, to write.
            #[inline]
            #vis fn payload_mut(&mut self) -> &mut [::core::primitive::u8] {
                self.__payload
            }

            /// A read-only view of the same bytes.
            #[inline]
            #vis fn as_view(&self) -> #view<'_> {
                #view { __header: self.__header, __payload: self.__payload }
            }

            #[doc = #to_record_doc]
            #[inline]
            #vis fn to_record(&self) -> #name {
                <#name as #tr>::__read(&self.__header[..])
            }

            #[doc = #set_record_doc]
            #[inline]
            #vis fn set_record(&mut self, value: &#name) -> #result {
                ::netorder::record::fixed::to_slice(value, &mut self.__header[..]).map(|_| ())
            }

            #(#getters_again)*

            #(#setters)*
        }
    })
}

/// A field's visibility, ident (its getter's name) and doc attributes.
fn parts<'a>(m: &Member<'a>) -> (&'a syn::Visibility, &'a syn::Ident, Vec<Tokens>) {
    let ident = m.field.ident.as_ref().expect("views are for named fields");
    let mut docs: Vec<Tokens> = m
        .field
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .map(|a| quote!(#a))
        .collect();
    if docs.is_empty() {
        let doc = format!("The `{}` field.", field_name(m));
        docs.push(quote!(#[doc = #doc]));
    }
    (&m.field.vis, ident, docs)
}

/// `set_` and the field's name (without `r#`).
fn setter_ident(m: &Member) -> syn::Ident {
    let name = field_name(m);
    format_ident!("set_{}", name.strip_prefix("r#").unwrap_or(&name))
}
