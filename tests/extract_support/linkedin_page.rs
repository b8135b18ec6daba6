//! Generates a LinkedIn-shaped signed-in profile page of about `target` bytes, for the limits tests
//! and the benchmarks: the real mix of app scripts, styles, inline SVG icons, embedded `<code>` data
//! blobs and deep DOM, with one invented subject (`/in/zanele-mokoena`) and a viewer.

pub const URL: &str = "https://www.linkedin.com/in/zanele-mokoena/";

pub fn linkedin_page(target: usize) -> String {
    let mut html = String::with_capacity(target + 64 * 1024);
    html.push_str("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>(2) Zanele Mokoena | LinkedIn</title>");
    html.push_str(r#"<code style="display: none" id="bpr-guid-1">{&quot;data&quot;:{},&quot;included&quot;:[{&quot;$type&quot;:&quot;com.linkedin.voyager.identity.shared.MiniProfile&quot;,&quot;firstName&quot;:&quot;Viewer&quot;,&quot;lastName&quot;:&quot;Person&quot;,&quot;publicIdentifier&quot;:&quot;viewer-person&quot;}]}</code>"#);
    html.push_str(r#"<code style="display: none" id="bpr-guid-2">{&quot;data&quot;:{},&quot;included&quot;:[{&quot;$type&quot;:&quot;com.linkedin.voyager.dash.identity.profile.Profile&quot;,&quot;entityUrn&quot;:&quot;urn:li:fsd_profile:Z1&quot;,&quot;firstName&quot;:&quot;Zanele&quot;,&quot;lastName&quot;:&quot;Mokoena&quot;,&quot;headline&quot;:&quot;Head of Data at Ubuntu Ledger&quot;,&quot;publicIdentifier&quot;:&quot;zanele-mokoena&quot;}]}</code>"#);
    let mut i = 0;
    while html.len() < target {
        // Per 10 KB or so: app script, style, icons, an unrelated data blob, feed markup.
        html.push_str("<script>(function(){var m=window.__modules||{};");
        for k in 0..40 {
            html.push_str(&format!(
                "m['mod{i}_{k}']=function(e,t){{return e.map(function(x){{return x*{k}+'<div>'}})}};"
            ));
        }
        html.push_str("})();</script><style>");
        for k in 0..15 {
            html.push_str(&format!(
                ".artdeco-card-{i}-{k}{{margin:0 0 {k}px;padding:8px 12px;display:flex}}"
            ));
        }
        html.push_str("</style>");
        for _ in 0..3 {
            html.push_str(r#"<svg role="none" aria-hidden="true" xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24"><path d="M21 13h-8v8h-2v-8H3v-2h8V3h2v8h8z" fill="currentColor"></path><path d="M12 2a10 10 0 1 0 10 10A10 10 0 0 0 12 2z"></path></svg>"#);
        }
        html.push_str(&format!(r#"<code style="display: none" id="bpr-guid-x{i}">{{&quot;data&quot;:{{&quot;feed&quot;:[{}]}}}}</code>"#, "1,".repeat(300) + "1"));
        html.push_str("<div class=\"scaffold-finite-scroll__content\"><ul>");
        for k in 0..8 {
            html.push_str(&format!(r#"<li class="artdeco-list__item pvs-list__item--line-separated"><div class="display-flex flex-row justify-space-between"><div class="display-flex flex-column full-width"><span class="t-bold" aria-hidden="true">Post {i}.{k} by someone</span><span class="t-14 t-normal t-black--light">{k}h</span></div></div></li>"#));
        }
        html.push_str("</ul></div>");
        i += 1;
    }
    html.push_str(r#"</head><body><header class="global-nav"><nav><div class="global-nav__me"><span>Viewer Person</span></div></nav></header><main class="scaffold-layout__main"><section class="artdeco-card pv-top-card"><h1 class="text-heading-xlarge">Zanele Mokoena</h1><div class="text-body-medium break-words">Head of Data at Ubuntu Ledger</div><span class="text-body-small inline t-black--light break-words">Johannesburg, Gauteng, South Africa</span></section></main></body></html>"#);
    html
}
