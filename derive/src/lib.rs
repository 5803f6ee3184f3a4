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
#[proc_macro_derive(FixedRecord)]
pub fn derive_fixed_record(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match expand(input) {
        Ok(tokens) => tokens.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

fn expand(mut input: DeriveInput) -> syn::Result<Tokens> {
    let fields = match &input.data {
        Data::Struct(s) => s.fields.clone(),
        Data::Enum(e) => {
            return Err(syn::Error::new(
                e.enum_token.span(),
                "FixedRecord: an enum's size depends on its variant; use the serde path \
                 (netorder::to_slice / from_bytes) for enums",
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

    // Every type parameter must itself be a FixedRecord.
    for param in input.generics.type_params_mut() {
        param
            .bounds
            .push(parse_quote!(::netorder::record::FixedRecord));
    }
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();

    // (member, its name in error paths, its type)
    let members: Vec<(Tokens, Tokens, &syn::Type)> = match &fields {
        Fields::Named(named) => named
            .named
            .iter()
            .map(|f| {
                let ident = f.ident.as_ref().expect("named field");
                let label = ident.to_string();
                let label = label.strip_prefix("r#").unwrap_or(&label).to_owned();
                (
                    quote!(#ident),
                    quote!(#krate::fixed::__in_field(__e, #label)),
                    &f.ty,
                )
            })
            .collect(),
        // A newtype (one unnamed field) adds nothing to an error's path, as in serde, whose
        // derive writes it with `serialize_newtype_struct`.
        Fields::Unnamed(unnamed) if unnamed.unnamed.len() == 1 => {
            let f = &unnamed.unnamed[0];
            vec![(quote!(0), quote!(__e), &f.ty)]
        }
        Fields::Unnamed(unnamed) => unnamed
            .unnamed
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let index = Index::from(i);
                (
                    quote!(#index),
                    quote!(#krate::fixed::__in_index(__e, #i)),
                    &f.ty,
                )
            })
            .collect(),
        Fields::Unit => Vec::new(),
    };

    let sizes = members
        .iter()
        .map(|(_, _, ty)| quote_spanned!(ty.span()=> <#ty as #tr>::SIZE));
    let writes = members.iter().map(|(member, _, ty)| {
        quote_spanned! {ty.span()=>
            let __end = __at + <#ty as #tr>::SIZE;
            <#ty as #tr>::__write(&self.#member, &mut __out[__at..__end]);
            __at = __end;
        }
    });
    let checks = members.iter().map(|(_, locate, ty)| {
        quote_spanned! {ty.span()=>
            let __end = __at + <#ty as #tr>::SIZE;
            if let ::core::result::Result::Err(__e) =
                <#ty as #tr>::__validate(&__bytes[__at..__end], __offset + __at)
            {
                return ::core::result::Result::Err(#locate);
            }
            __at = __end;
        }
    });
    let valid = members.iter().map(|(_, _, ty)| {
        quote_spanned! {ty.span()=>
            let __end = __at + <#ty as #tr>::SIZE;
            __ok &= <#ty as #tr>::__is_valid(&__bytes[__at..__end]);
            __at = __end;
        }
    });
    let vars: Vec<_> = (0..members.len())
        .map(|i| format_ident!("__field{}", i))
        .collect();
    let reads = members.iter().zip(&vars).map(|((_, _, ty), var)| {
        quote_spanned! {ty.span()=>
            let __end = __at + <#ty as #tr>::SIZE;
            let #var = <#ty as #tr>::__read(&__bytes[__at..__end]);
            __at = __end;
        }
    });
    let build = match &fields {
        Fields::Named(_) => {
            let names = members.iter().map(|(m, _, _)| m);
            quote!(Self { #(#names: #vars),* })
        }
        Fields::Unnamed(_) => quote!(Self(#(#vars),*)),
        Fields::Unit => quote!(Self),
    };

    Ok(quote! {
        #[automatically_derived]
        impl #impl_generics #tr for #name #ty_generics #where_clause {
            const SIZE: ::core::primitive::usize = 0 #(+ #sizes)*;

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
        }
    })
}
