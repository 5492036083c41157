//! The data set each release category requires (Immediate Release Guidelines): a missing
//! element becomes a finding with its path, so the declarant knows what to add.

use super::Ctx;
use crate::result::Severity;

pub(crate) fn check(ctx: &Ctx<'_>, category: u8) {
    // Most declarations give everything their category requires: the version's plan tells
    // it from a few bits, without reading the field names.
    if super::plan::gives_required(ctx.plan, ctx.version, category, ctx.decl) {
        return;
    }
    let required = &ctx.version.rules.categories.required_data;
    let fields = match category {
        1 => &required.documents,
        2 => &required.low_value_non_dutiable,
        3 => &required.low_value_dutiable,
        _ => &required.high_value,
    };
    let decl = ctx.decl;
    let mut missing: Vec<crate::declaration::Text> = Vec::new();
    for field in fields {
        if let Some(item_field) = field.strip_prefix("items[].") {
            for (i, item) in decl.items.iter().enumerate() {
                let present = match item_field {
                    "description" => !item.description.trim().is_empty(),
                    "hs_code" => item.hs_code.is_some(),
                    "origin" => item.origin.is_some(),
                    "value" => true,
                    "net_mass_kg" => item.net_mass_kg.is_some(),
                    "gross_mass_kg" => item.gross_mass_kg.is_some(),
                    _ => true,
                };
                if !present {
                    missing.push(crate::message_text::item_path(i, item_field));
                }
            }
            continue;
        }
        let present = match field.as_str() {
            "seller.country" => decl.seller.country.is_some(),
            "seller.registrations" => !decl.seller.registrations.is_empty(),
            "marketplace.name" => decl.marketplace.is_some(),
            "carrier.name" | "transport" => decl.carrier.is_some(),
            "consignee.address" => decl.consignee.address.is_some(),
            "consignee.tax_id" => decl.consignee.tax_id.is_some(),
            _ => true,
        };
        if !present {
            missing.push(crate::declaration::Text::from(field.as_str()));
        }
    }
    for path in missing {
        // By hand, not `format!`: a record may miss several elements.
        let mut message =
            crate::result::Message::with_capacity(64 + path.len() + required.source.len());
        message.push_str("category ");
        crate::message_text::push_count(&mut message, usize::from(category));
        message.push_str(" requires ");
        message.push_str(&path);
        message.push_str(" (");
        message.push_str(&required.source);
        message.push_str("), which the declaration does not give");
        ctx.finding(
            "F_MISSING_DATA_ELEMENT",
            Severity::Warning,
            Some(path),
            message,
        );
    }
}
