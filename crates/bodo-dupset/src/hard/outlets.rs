//! Invented outlets and their templates, for the hard labelled set.
//!
//! Takes nothing; gives [`outlets`], a fixed table of [`OUTLET_COUNT`] invented outlets (names
//! composed from [`PREFIXES`] and [`SUFFIXES`], or taken from [`RARE_NAMES`], invented for
//! testing: any likeness to a real outlet is chance), each with reporters and one or two
//! template [`Version`]s: a byline and trailer lines, composed from [`BYLINES`] and
//! [`TRAILERS`]. Three groups, in table order:
//! - [`COMMON`] outlets with a fixed template and 2–4 reporters;
//! - [`VARYING`] outlets that also print lines of their own per article (`hard/varying.rs`:
//!   stamp, counter, e-mail of one of 5–8 rotating reporters, photo caption, related box);
//! - [`RARE`] outlets that print only 2–5 articles in a whole set, with a long small-site
//!   footer ([`RARE_FOOTERS`]: registration, publisher, address lines), so no count over the
//!   dump can learn their template.
//!
//! [`split`] takes a printed body back apart into byline, story text, trailer and varying lines.
//!
//! Guarantees: the table does not depend on the set's seed (its own ChaCha8 stream; the first
//! [`COMMON`] outlets are drawn first, as before the other groups existed), so the template of
//! any article can be recovered from its outlet and date alone; an outlet prints the same fixed
//! template on every article of a version (only the reporter's name and e-mail vary, over its
//! reporters); the byline and trailer shapes are ones `src/normalise.rs` does not strip (its
//! test in `hard.rs` measures how much of them survives normalisation), apart from a few
//! real-world lines it does know, kept so that a learner also meets known lines.

use std::sync::LazyLock;

use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::varying::{self, Extra, Varying};

/// Outlets with a fixed template, printed throughout the set.
pub const COMMON: usize = 34;
/// Outlets whose template also holds per-article lines, printed throughout the set.
pub const VARYING: usize = super::varying::PLANS.len();
/// Outlets printing only a handful of articles ([`RARE_NAMES`]).
pub const RARE: usize = RARE_NAMES.len();
/// Number of invented outlets.
pub const OUTLET_COUNT: usize = COMMON + VARYING + RARE;

/// Names of the rare outlets (small regional and web-only sites), with their romanisation.
pub const RARE_NAMES: [(&str, &str); 10] = [
    ("들녘신문", "deulnyeok"),
    ("강나루뉴스", "gangnaru"),
    ("청람투데이", "cheongram"),
    ("솔뫼저널", "solmoe"),
    ("달빛경제", "dalbit"),
    ("해올인터넷뉴스", "haeol"),
    ("모래내일보", "moraenae"),
    ("은하수타임즈", "eunhasu"),
    ("금빛시사", "geumbit"),
    ("두레방송", "dure"),
];

/// Footer lines of small sites (printed after the trailer, 3 of them per rare outlet):
/// `{reg}` registration number, `{regday}` its date, `{pub}`/`{youth}` names, `{addr}`, `{bank}`.
pub const RARE_FOOTERS: [&str; 6] = [
    "{o} | 등록번호 : {reg} | 등록일 : {regday} | 발행·편집인 : {pub}",
    "청소년보호책임자 : {youth} | 대표전화 : {tel} | 팩스 : {tel2}",
    "주소 : {addr} | 기사제보 및 보도자료 : news@{d}",
    "{o}의 모든 기사는 저작권법의 보호를 받으며, 무단 전재·복사·배포를 금합니다.",
    "본 기사의 정정·반론 보도 요청은 {tel}(편집국)로 해 주시기 바랍니다.",
    "{o} 후원하기 | 정기구독 신청 {d}/subscribe | 후원 계좌 {bank}",
];
const STREETS: [&str; 5] = ["새터로", "솔내길", "버들골로", "한빛대로", "은행나무길"];

/// First half of an outlet's name, with its romanisation (for domains and English lines).
const PREFIXES: [(&str, &str); 17] = [
    ("한빛", "hanbit"),
    ("누리", "nuri"),
    ("온새", "onsae"),
    ("가온", "gaon"),
    ("다온", "daon"),
    ("새벽", "saebyeok"),
    ("푸른", "pureun"),
    ("한결", "hangyeol"),
    ("미르", "mir"),
    ("아라", "ara"),
    ("늘봄", "neulbom"),
    ("해든", "haedeun"),
    ("솔빛", "solbit"),
    ("바른", "bareun"),
    ("나래", "narae"),
    ("하늬", "hanui"),
    ("여울", "yeoul"),
];

/// Second half of an outlet's name, with its romanisation.
const SUFFIXES: [(&str, &str); 12] = [
    ("통신", "press"),
    ("경제", "econ"),
    ("일보", "ilbo"),
    ("뉴스", "news"),
    ("신문", "sinmun"),
    ("타임스", "times"),
    ("저널", "journal"),
    ("데일리", "daily"),
    ("미디어", "media"),
    ("투데이", "today"),
    ("포스트", "post"),
    ("방송", "tv"),
];

const TLDS: [&str; 4] = ["co.kr", "com", "kr", "news"];

/// Reporter names: surnames and given names used by no story text of the set (story people are
/// drawn from other lists), so a name in a byline is template, never story.
const SURNAMES: [(&str, &str); 12] = [
    ("곽", "kwak"),
    ("남궁", "namgung"),
    ("도", "do"),
    ("마", "ma"),
    ("변", "byun"),
    ("석", "seok"),
    ("여", "yeo"),
    ("엄", "eom"),
    ("용", "yong"),
    ("제갈", "jegal"),
    ("탁", "tak"),
    ("편", "pyeon"),
];
const GIVEN: [(&str, &str); 16] = [
    ("하람", "haram"),
    ("솔미", "solmi"),
    ("이든", "eden"),
    ("가람", "garam"),
    ("누리", "nuri"),
    ("다솜", "dasom"),
    ("라온", "raon"),
    ("보미", "bomi"),
    ("새론", "saeron"),
    ("아름", "areum"),
    ("여름", "yeoreum"),
    ("초롱", "chorong"),
    ("한울", "hanul"),
    ("해솔", "haesol"),
    ("든솔", "deunsol"),
    ("별하", "byeolha"),
];

const CITIES: [&str; 16] = [
    "서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "수원", "춘천", "청주", "전주",
    "창원", "제주", "포항", "안동",
];

/// Byline shapes: `{c}` city, `{o}` outlet, `{n}` reporter; `true` when printed on a line of its
/// own. None is a shape `normalise`'s `LEAD` knows (`(서울=연합뉴스) 홍길동 기자 =`, `【…】`,
/// `[매체 이름 기자]`, a bare `이름 기자 =`).
pub const BYLINES: [(&str, bool); 21] = [
    ("[{c}={o}]{n} 기자 = ", false),
    ("◇{c}◇ {n} 통신원 — ", false),
    ("〔{c}·{o}〕{n} 기자 : ", false),
    ("《{o}》 {c} {n} 기자 ― ", false),
    ("〈{o}·{c}〉 {n} 기자 | ", false),
    ("▲{o}={n} 기자▲ ", false),
    ("『{o} {c}』 {n} 기자 ▷ ", false),
    ("/{c}={o}/ {n} 기자 / ", false),
    ("{c}｜{o} {n} 기자 ｜ ", false),
    ("#{o} #{c} {n} 기자 — ", false),
    ("▣ {o} {n} 기자 ▣ ", false),
    ("{n} 기자 ({o}·{c}) ▸ ", false),
    ("[{o}|{c}] {n} 기자 :: ", false),
    ("「{c}={o}」 {n} 기자 = ", false),
    ("※{o} {c}={n} 기자※ ", false),
    ("{c} ({o}) — {n} reporter: ", false),
    ("{o} {c}취재본부 {n} 기자", true),
    ("글·사진 {n} 기자 / {o}", true),
    ("({o}) {c} = {n} 기자", true),
    ("{o} | {c} | {n} 기자", true),
    ("◆{c}발 {o} {n} 특파원◆", true),
];

/// Trailer line shapes by category, printed in this category order. Placeholders: `{S}` the
/// outlet's symbol, `{o}` outlet, `{d}` domain, `{r}` romanised name, `{R}` it in capitals, `{m}`
/// motto, `{p}` platform, `{pe}` platform in English, `{tel}`/`{tel2}` phones, `{y}` year, `{k}`
/// anniversary, `{email}` the reporter's address (filled per article).
pub const TRAILERS: [&[&str]; 5] = [
    // Motto and contact.
    &[
        "{S}{m} {o} {email}",
        "{S} {m}, {o}",
        "{S} {o} — {m}",
        "{S}{m} {o}{S}",
        "— {o} 편집국 {tel} —",
    ],
    // Subscription and apps.
    &[
        "★ {o} 뉴스, 이제 {p}에서 구독하세요 ★",
        "☆ {p}에서도 {o} 뉴스를 만나보세요 ☆",
        "▷ {o} 공식 앱 설치하고 실시간 알림 받기",
        "{S} {p} 채널을 추가하면 {o} 속보가 바로 옵니다",
        "{S} 지금 {p}에서 ‘{o}’ 검색 후 구독!",
        "♣ 매일 아침 {o} 뉴스레터 신청 ☞ {d}/letter",
        "Subscribe to {R} on {pe} · {d}",
        "{S} {o} 공식 SNS @{r}_news",
    ],
    // Tips.
    &[
        "★ 제보는 카카오톡 {o}제보 ★",
        "※ 여러분의 제보를 기다립니다 ☎ {tel}",
        "{S} 기사 제보·문의 {d}/tip",
        "□ 독자 제보 {tel} (24시간)",
        "{S} 사건·사고 제보 {tel} / 카톡 {o}제보",
        "Tips: news@{d} | {tel}",
        "{S} 제보하기: tip@{d}",
    ],
    // Web, channels, anniversaries.
    &[
        "{S} {o} 홈페이지 바로 가기 {d}",
        "▒ {o} 유튜브 채널 ‘{o}TV’ 오픈 ▒",
        "{S} 오늘의 주요 뉴스는 {d}에서 확인하세요",
        "♠ {o} 창간 {k}주년 — 독자와 함께 걸어온 길",
        "[{o}] 세상을 보는 새로운 눈 · {d}",
        "▶▶ {o} 모바일 웹 m.{d}",
        "□ 구독 문의 {tel} · 광고 문의 {tel2}",
    ],
    // Copyright. The last two are forms `normalise` strips (real outlets print them too).
    &[
        "<저작권자ⓒ {m} {o}. 허락 없이 옮겨 싣거나 다시 나누는 행위를 금합니다.>",
        "이 기사의 저작권은 {o}에 있으며, 허가 없는 복제와 배포를 금합니다.",
        "ⓒ {y} {R} Co., Ltd. Reproduction in whole or in part without permission is prohibited",
        "{o}의 모든 콘텐츠는 저작권법의 보호를 받습니다",
        "※ 이 기사는 {o}의 자산입니다. AI 학습용 수집을 허용하지 않습니다.",
        "<ⓒ {o} · 상업적 이용 및 2차 가공 불허 · {d}>",
        "<저작권자ⓒ {m} {o}. 무단전재-재배포 금지.>",
        "Copyright ⓒ {o} All rights reserved.",
    ],
];

const SYMBOLS: [&str; 12] = ["◎", "★", "◆", "▷", "※", "□", "◈", "●", "◇", "▣", "☆", "○"];
const MOTTOS: [&str; 10] = [
    "공감언론",
    "정론직필",
    "시민과 함께하는 언론",
    "깊이 보는 뉴스",
    "지역의 목소리",
    "바른 언론 큰 신문",
    "빠르고 정확한 뉴스",
    "사람 중심 경제지",
    "생활 속 경제 파트너",
    "내일을 여는 신문",
];
const PLATFORMS: [(&str, &str); 6] = [
    ("네이버", "Naver"),
    ("다음", "Daum"),
    ("카카오톡", "KakaoTalk"),
    ("유튜브", "YouTube"),
    ("구글 뉴스", "Google News"),
    ("네이트", "Nate"),
];

/// A reporter of an outlet.
#[derive(Debug, Clone)]
pub struct Reporter {
    pub name: String,
    pub email: String,
}

/// An outlet's template from a day on: byline (`{n}` for the reporter) and trailer lines
/// (`{email}` for the reporter's address).
#[derive(Debug, Clone)]
pub struct Version {
    /// First day (offset from the set's first date) this template is printed.
    pub from_day: u32,
    pub byline: Option<String>,
    pub byline_own_line: bool,
    pub trailer: Vec<String>,
}

impl Version {
    fn byline_for(&self, r: &Reporter) -> Option<String> {
        self.byline.as_ref().map(|b| b.replace("{n}", &r.name))
    }

    fn trailer_for(&self, r: &Reporter) -> Vec<String> {
        self.trailer
            .iter()
            .map(|l| l.replace("{email}", &r.email))
            .collect()
    }
}

/// An invented outlet.
#[derive(Debug, Clone)]
pub struct Outlet {
    pub name: String,
    pub reporters: Vec<Reporter>,
    /// Sorted by `from_day`, the first from day 0.
    pub versions: Vec<Version>,
    /// Publishes flashes, with a long trailer (3–4 lines).
    pub wire: bool,
    /// Per-article lines (the [`VARYING`] outlets).
    pub varying: Option<Varying>,
    /// Prints only a handful of articles (the [`RARE`] outlets).
    pub rare: bool,
}

impl Outlet {
    /// The template in force on `day`.
    pub fn version(&self, day: u32) -> usize {
        self.versions
            .iter()
            .rposition(|v| v.from_day <= day)
            .unwrap_or(0)
    }

    /// `body` with this outlet's fixed template of `day` (byline and trailer), by reporter
    /// `reporter`: what every article of the outlet prints alike.
    pub fn wrap(&self, body: &str, day: u32, reporter: usize) -> String {
        let v = &self.versions[self.version(day)];
        let r = &self.reporters[reporter % self.reporters.len()];
        let mut lines = vec![Self::bylined(v, r, body)];
        lines.extend(v.trailer_for(r));
        lines.join("\n")
    }

    /// `body` as this outlet prints it on `day`: [`Outlet::wrap`] and, for a varying outlet,
    /// its per-article lines with the values of `extra` (the related box as
    /// [`varying::RELATED_MARK`] until `varying::fill_related`).
    pub fn print(&self, body: &str, day: u32, reporter: usize, extra: &Extra) -> String {
        let Some(plan) = self.varying else {
            return self.wrap(body, day, reporter);
        };
        let v = &self.versions[self.version(day)];
        let r = &self.reporters[reporter % self.reporters.len()];
        let mut lines = Vec::new();
        if let Some((format, true)) = plan.stamp {
            lines.push(varying::stamp(format, day, extra));
        }
        lines.extend(extra.caption.clone());
        lines.push(Self::bylined(v, r, body));
        if plan.related.is_some() {
            lines.push(varying::RELATED_MARK.to_string());
        }
        lines.push(varying::email_line(plan.email, r));
        if let Some(format) = plan.counter {
            lines.push(varying::counter(format, day, extra));
        }
        if let Some((format, false)) = plan.stamp {
            lines.push(varying::stamp(format, day, extra));
        }
        lines.extend(v.trailer_for(r));
        lines.join("\n")
    }

    fn bylined(v: &Version, r: &Reporter, body: &str) -> String {
        match v.byline_for(r) {
            Some(b) if v.byline_own_line => format!("{b}\n{body}"),
            Some(b) => format!("{b}{body}"),
            None => body.to_string(),
        }
    }

    /// Characters of the template printed on `day` (with the first reporter).
    pub fn template_chars(&self, day: u32) -> usize {
        let v = &self.versions[self.version(day)];
        let r = &self.reporters[0];
        v.byline_for(r).map_or(0, |b| b.chars().count())
            + v.trailer_for(r)
                .iter()
                .map(|l| l.chars().count() + 1)
                .sum::<usize>()
    }
}

/// The fixed table of invented outlets.
pub fn outlets() -> &'static [Outlet] {
    static TABLE: LazyLock<Vec<Outlet>> = LazyLock::new(build);
    &TABLE
}

/// The outlet of this name, if it is one of ours.
pub fn by_name(name: &str) -> Option<&'static Outlet> {
    outlets().iter().find(|o| o.name == name)
}

fn build() -> Vec<Outlet> {
    // Its own stream: the table is the same whatever set is generated.
    let mut rng = ChaCha8Rng::seed_from_u64(0x0b0d_0a11);
    let mut table: Vec<Outlet> = (0..COMMON + VARYING)
        .map(|i| {
            let (p, pr) = PREFIXES[i % PREFIXES.len()];
            let (s, sr) = SUFFIXES[(5 * i + i / PREFIXES.len()) % SUFFIXES.len()];
            let name = format!("{p}{s}");
            let roman = format!("{pr}{sr}");
            let domain = format!("{roman}.{}", TLDS[i % TLDS.len()]);
            // A varying outlet's reporters rotate more: its e-mail line is rarely the same.
            let staff = if i < COMMON { 2..=4 } else { 5..=8 };
            let reporters = (0..rng.random_range(staff))
                .map(|_| reporter(&mut rng, &domain))
                .collect();
            let wire = i % 3 == 0;
            let mut versions = vec![version(&mut rng, 0, &name, &roman, &domain, wire, None)];
            // A few outlets change their template once, as real ones do over a redesign.
            if i % 5 == 2 {
                let from_day = 180 + (i as u32 * 53) % 360;
                let keep = rng
                    .random_bool(0.5)
                    .then(|| (versions[0].byline.clone(), versions[0].byline_own_line));
                versions.push(version(
                    &mut rng, from_day, &name, &roman, &domain, wire, keep,
                ));
            }
            Outlet {
                name,
                reporters,
                versions,
                wire,
                varying: i.checked_sub(COMMON).map(|j| varying::PLANS[j]),
                rare: false,
            }
        })
        .collect();
    for (r, &(name, roman)) in RARE_NAMES.iter().enumerate() {
        let domain = format!("{roman}.{}", TLDS[r % TLDS.len()]);
        let reporters = (0..rng.random_range(1..=2))
            .map(|_| reporter(&mut rng, &domain))
            .collect();
        let mut v = version(&mut rng, 0, name, roman, &domain, false, None);
        let mut footers: Vec<&str> = RARE_FOOTERS.choose_multiple(&mut rng, 3).copied().collect();
        footers.sort_by_key(|f| RARE_FOOTERS.iter().position(|g| g == f));
        let name_of = |rng: &mut ChaCha8Rng| reporter(rng, &domain).name;
        let (publisher, youth) = (name_of(&mut rng), name_of(&mut rng));
        let tel = |rng: &mut ChaCha8Rng| {
            format!(
                "0{}-{}-{:04}",
                rng.random_range(31..=64),
                rng.random_range(200..=999),
                rng.random_range(0..10_000)
            )
        };
        let (tel1, tel2) = (tel(&mut rng), tel(&mut rng));
        let reg = format!(
            "{} 아{:05}",
            ["경기", "서울", "인천", "충북", "경남"][r % 5],
            rng.random_range(10_000..100_000)
        );
        let regday = format!(
            "20{:02}.{:02}.{:02}",
            rng.random_range(10..=21),
            rng.random_range(1..=12),
            rng.random_range(1..=28)
        );
        let addr = format!(
            "{} {} {}, {}층",
            CITIES.choose(&mut rng).expect("cities"),
            STREETS.choose(&mut rng).expect("streets"),
            rng.random_range(10..=300),
            rng.random_range(2..=9)
        );
        let bank = format!(
            "농협 {}-{:04}-{:04}-{:02}",
            rng.random_range(300..=399),
            rng.random_range(0..10_000),
            rng.random_range(0..10_000),
            rng.random_range(0..100)
        );
        v.trailer.extend(footers.iter().map(|f| {
            f.replace("{o}", name)
                .replace("{d}", &domain)
                .replace("{reg}", &reg)
                .replace("{regday}", &regday)
                .replace("{pub}", &publisher)
                .replace("{youth}", &youth)
                .replace("{tel2}", &tel2)
                .replace("{tel}", &tel1)
                .replace("{addr}", &addr)
                .replace("{bank}", &bank)
        }));
        table.push(Outlet {
            name: name.to_string(),
            reporters,
            versions: vec![v],
            wire: false,
            varying: None,
            rare: true,
        });
    }
    table
}

/// A reporter with an address at `domain`, named from the template-only name lists.
fn reporter(rng: &mut ChaCha8Rng, domain: &str) -> Reporter {
    let (sn, sr) = *SURNAMES.choose(rng).expect("surnames");
    let (gn, gr) = *GIVEN.choose(rng).expect("given names");
    Reporter {
        name: format!("{sn}{gn}"),
        email: format!("{gr}.{sr}@{domain}"),
    }
}

/// A template: a byline shape (or `keep`, the previous one) and 1–4 trailer lines of distinct
/// categories, 3–4 for wire outlets (whose trailer is longer than a flash).
fn version(
    rng: &mut ChaCha8Rng,
    from_day: u32,
    outlet: &str,
    roman: &str,
    domain: &str,
    wire: bool,
    keep: Option<(Option<String>, bool)>,
) -> Version {
    let city = *CITIES.choose(rng).expect("cities");
    let (byline, byline_own_line) = keep.unwrap_or_else(|| {
        // One outlet in ten prints no byline at all.
        if rng.random_bool(0.1) {
            return (None, false);
        }
        let (shape, own) = *BYLINES.choose(rng).expect("bylines");
        (Some(shape.replace("{c}", city).replace("{o}", outlet)), own)
    });
    let n = if wire {
        rng.random_range(3..=4)
    } else {
        rng.random_range(1..=3)
    };
    let mut categories: Vec<usize> = (0..TRAILERS.len()).collect();
    categories.shuffle(rng);
    categories.truncate(n);
    categories.sort_unstable();
    let symbol = *SYMBOLS.choose(rng).expect("symbols");
    let motto = *MOTTOS.choose(rng).expect("mottos");
    let (platform, platform_en) = *PLATFORMS.choose(rng).expect("platforms");
    let tel = |rng: &mut ChaCha8Rng| {
        format!(
            "0{}-{}-{:04}",
            rng.random_range(2..=6),
            rng.random_range(200..=999),
            rng.random_range(0..10_000)
        )
    };
    let (tel1, tel2) = (tel(rng), tel(rng));
    let year = rng.random_range(2015..=2021).to_string();
    let anniversary = rng.random_range(5..=40).to_string();
    let trailer = categories
        .into_iter()
        .map(|c| {
            TRAILERS[c]
                .choose(rng)
                .expect("trailer shapes")
                .replace("{S}", symbol)
                .replace("{o}", outlet)
                .replace("{d}", domain)
                .replace("{R}", &roman.to_uppercase())
                .replace("{r}", roman)
                .replace("{m}", motto)
                .replace("{pe}", platform_en)
                .replace("{p}", platform)
                .replace("{tel2}", &tel2)
                .replace("{tel}", &tel1)
                .replace("{y}", &year)
                .replace("{k}", &anniversary)
        })
        .collect();
    Version {
        from_day,
        byline,
        byline_own_line,
        trailer,
    }
}

/// A printed body taken apart: the byline found at its start, the story text, the fixed
/// trailer lines found at its end, and a varying outlet's per-article lines (stamp, caption,
/// related box, e-mail, counter; in print order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub byline: Option<String>,
    pub text: String,
    pub trailer: Vec<String>,
    pub extra: Vec<String>,
}

/// Takes `body` apart with the templates of `outlet` (every version and reporter, so a copy
/// edited after printing still splits). A body of an outlet not in the table is all text.
pub fn split(outlet: &str, body: &str) -> Split {
    let Some(o) = by_name(outlet) else {
        return Split {
            byline: None,
            text: body.to_string(),
            trailer: Vec::new(),
            extra: Vec::new(),
        };
    };
    let mut rest = body;
    let mut extra = Vec::new();
    if o.varying.is_some() {
        while let Some((first, after)) = rest.split_once('\n') {
            if !varying::is_head_line(first) {
                break;
            }
            extra.push(first.trim().to_string());
            rest = after;
        }
    }
    let mut byline = None;
    'found: for v in &o.versions {
        for r in &o.reporters {
            if let Some(b) = v.byline_for(r) {
                if let Some(after) = rest.strip_prefix(b.as_str()) {
                    rest = if v.byline_own_line {
                        after.strip_prefix('\n').unwrap_or(after)
                    } else {
                        after
                    };
                    byline = Some(b);
                    break 'found;
                }
            }
        }
    }
    let known: Vec<String> = o
        .versions
        .iter()
        .flat_map(|v| o.reporters.iter().flat_map(|r| v.trailer_for(r)))
        .collect();
    let mut lines: Vec<&str> = rest.lines().collect();
    let mut trailer = Vec::new();
    let mut bottom = Vec::new();
    while let Some(last) = lines.last() {
        let t = last.trim();
        if t.is_empty() {
            lines.pop();
        } else if known.iter().any(|k| k == t) {
            trailer.push(t.to_string());
            lines.pop();
        } else if let Some(plan) = &o.varying {
            if varying::is_bottom_line(plan, &o.reporters, t) {
                bottom.push(t.to_string());
                lines.pop();
            } else if let Some(n) = related_box(plan, &lines) {
                for l in lines.drain(lines.len() - n..).rev() {
                    bottom.push(l.trim().to_string());
                }
            } else {
                break;
            }
        } else {
            break;
        }
    }
    trailer.reverse();
    bottom.reverse();
    extra.extend(bottom);
    Split {
        byline,
        text: lines.join("\n"),
        trailer,
        extra,
    }
}

/// Lines of the related box ending `lines` (header and listed headlines), if it ends them.
fn related_box(plan: &Varying, lines: &[&str]) -> Option<usize> {
    let (header, prefix) = varying::BOXES[plan.related?];
    let items = lines
        .iter()
        .rev()
        .take_while(|l| l.trim() != header && l.starts_with(prefix))
        .count();
    let at_header = lines.len().checked_sub(items + 1)?;
    (items > 0 && lines[at_header].trim() == header).then_some(items + 1)
}

/// Days since the set's first date (2022-01-01) of an ISO date, or `None` when it is not one.
pub fn day_of(iso: &str) -> Option<u32> {
    let mut parts = iso.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    let days = days_from_civil(y, m, d) - days_from_civil(2022, 1, 1);
    u32::try_from(days).ok()
}

/// 2022-01-01 plus `day` days, as `(year, month, day)`.
pub fn civil(day: u32) -> (i64, u32, u32) {
    // Howard Hinnant's civil_from_days.
    let z = days_from_civil(2022, 1, 1) + i64::from(day) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// ISO date of [`civil`].
pub fn iso(day: u32) -> String {
    let (y, m, d) = civil(day);
    format!("{y}-{m:02}-{d:02}")
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(iso(0), "2022-01-01");
        assert_eq!(iso(58), "2022-02-28");
        assert_eq!(iso(365), "2023-01-01");
        assert_eq!(iso(789), "2024-02-29");
        for day in 0..1000 {
            assert_eq!(day_of(&iso(day)), Some(day));
        }
        assert_eq!(day_of("2021-12-31"), None);
        assert_eq!(day_of("어제"), None);
    }

    #[test]
    fn outlets_are_distinct_and_split_what_they_wrap() {
        let table = outlets();
        let names: std::collections::BTreeSet<&str> =
            table.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names.len(), OUTLET_COUNT);
        let body = "첫 문장이다. 둘째 문장이다.\n둘째 문단이다.";
        for o in table {
            for v in &o.versions {
                for r in 0..o.reporters.len() {
                    let printed = o.wrap(body, v.from_day, r);
                    let s = split(&o.name, &printed);
                    assert_eq!(s.text, body, "{printed}");
                    assert_eq!(s.trailer.len(), v.trailer.len(), "{printed}");
                    assert_eq!(s.byline.is_some(), v.byline.is_some(), "{printed}");
                }
            }
        }
    }

    #[test]
    fn varying_outlets_split_what_they_print() {
        use crate::LabelledArticle;
        use rand::SeedableRng;
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let body = "첫 문장이다. 둘째 문장이다.\n둘째 문단이다.";
        let table = outlets();
        assert_eq!(
            table.iter().filter(|o| o.varying.is_some()).count(),
            VARYING
        );
        assert_eq!(table.iter().filter(|o| o.rare).count(), RARE);
        for o in table.iter().filter(|o| o.varying.is_some()) {
            let plan = o.varying.unwrap();
            assert!(o.reporters.len() >= 5, "{}", o.name);
            // Three articles of other stories on nearby days, so the box has headlines to list.
            let mut set: Vec<LabelledArticle> = (0..4u32)
                .map(|i| {
                    let title = format!("제목 {i}");
                    let extra = Extra::draw(&mut rng, &plan, &o.name, &title);
                    LabelledArticle {
                        body: o.print(body, 300 + i, i as usize, &extra),
                        title,
                        outlet: o.name.clone(),
                        date: iso(300 + i),
                        gold: i as usize,
                        kind: "original",
                    }
                })
                .collect();
            varying::fill_related(&mut set, &mut rng);
            for a in &set {
                assert!(!a.body.contains(varying::RELATED_MARK), "{}", a.body);
                let s = split(&o.name, &a.body);
                assert_eq!(s.text, body, "{}", a.body);
                let v = &o.versions[o.version(day_of(&a.date).unwrap())];
                assert_eq!(s.trailer.len(), v.trailer.len(), "{}", a.body);
                let want =
                    1 + usize::from(plan.stamp.is_some()) + usize::from(plan.counter.is_some());
                let boxed = plan.related.map_or(0, |style| {
                    let (header, prefix) = varying::BOXES[style];
                    s.extra
                        .iter()
                        .filter(|l| l.starts_with(prefix) && *l != header)
                        .count()
                });
                assert!(s.extra.len() >= want + boxed, "{:?}", s.extra);
                if plan.related.is_some() {
                    assert!((2..=3).contains(&boxed), "{}", a.body);
                    let own = |l: &&String| l.ends_with(&a.title) && !l.starts_with('▲');
                    assert!(!s.extra.iter().any(|l| own(&l)), "own title listed");
                }
            }
        }
        for o in table.iter().filter(|o| o.rare) {
            assert!(
                o.template_chars(0) >= 150,
                "{}: {}",
                o.name,
                o.template_chars(0)
            );
        }
    }
}
