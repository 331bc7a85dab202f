//! Dupset: a labelled set of Korean near-duplicate stories, and the scores of a clustering on it.
//!
//! Takes seed articles (the shipped search page, or any dump), a seed and a number of stories;
//! gives [`LabelledArticle`]s, each carrying its gold story id and the `kind` of transformation
//! that made it, plus [`score`] (pairwise and B-cubed precision, recall, F1) and
//! [`errors_by_kind`] (copies missed, articles wrongly merged, per kind).
//!
//! How a set is built (see [`generate`]):
//! - **Stories.** The seeds (the shipped page's four real groups of the same story are one gold
//!   story each, see [`seed_gold`]), thirteen short stories written for this file ([`OWN`]:
//!   weather, baseball, interest rates, a lantern festival, a court ruling, flu, the college exam,
//!   a subway strike, a satellite, apple prices, rental fraud, an exhibition, a forest fire;
//!   invented for testing, not reports of real events), then stories recombined from the
//!   sentences of both. Two different stories share at most one sentence (a sentence pool tracks
//!   who uses what), so the gold labels stay true: what differs in gold really differs in text.
//! - **Copies.** Each story gets 0–6 copies by other outlets, each made by one transformation
//!   real outlets apply ([`COPY_KINDS`]): another outlet's wire prefix, byline, e-mail and
//!   copyright line; a `[속보]`-style tag or a rewritten headline; dropped last paragraph or
//!   sentences (at least 60 % of the sentences kept); reordered paragraphs or sentences; other
//!   number and unit formats (`3천억원` ↔ `3000억 원`, `15일` → `15 일`, `%` ↔ `퍼센트`);
//!   full-width ASCII and NFD Hangul; extra whitespace and line breaks; an added paragraph of the
//!   outlet's own; copy-editing (`edited`: other sentence endings, `카카오톡` → `카톡`, dropped
//!   `지난`/`이날`/`아울러`); or `combined`, a headline change plus two or three body changes.
//!   Most copies (and most originals) carry their outlet's boilerplate as well.
//! - **Hard negatives**, each its own gold story, made against an earlier *anchor* story
//!   ([`HARD_NEGATIVE_KINDS`]): same outlet template (prefix, byline, e-mail, copyright footer and
//!   the same `▶` related-headline box), one sentence quoted from the anchor, the anchor's exact
//!   headline over a different body, or a follow-up that repeats consecutive sentences of the
//!   anchor as background (at most 30 % of either text). The page's different articles about the
//!   same outage are natural hard negatives of each other.
//!
//! The labels are kept true by construction and checked by a plain containment reference in the
//! tests: on seed 42 with 360 stories, no two different stories have a 5-character-shingle
//! containment above 0.39, and no copy is below 0.60 against its root. So the set tests that a
//! method finds every transformation and resists every template and shared text; it has no
//! paraphrase-level rewrites (the same story retold in other words), which no shingle method
//! can be expected to find and whose gold label would be a judgement call.
//!
//! Guarantees: the same seeds, seed and story count give identical output (ChaCha8, whose stream
//! is specified and stable across rand versions; no hash-map iteration order is used). Every
//! gold story has exactly one *root* article (kind `original` or `hard-negative-*`, see
//! [`is_root`]); the articles are shuffled, so copies are not next to their originals.
//!
//! [`hard`] builds a harder set on the same helpers: outlet templates the normaliser does not know,
//! flashes, paraphrases and daily reports, dated over two years.
//!
//! The scores are pure functions of two labelings and do not care what the labels are; 0/0 is
//! taken as 1.0 for precision and recall (nothing predicted is nothing wrong; nothing to find is
//! nothing missed), and F1 of P = R = 0 is 0.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::sync::LazyLock;

use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use regex::Regex;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use bodo::normalise::clean;
use bodo::record::Article;

pub mod hard;

/// One article of the labelled set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabelledArticle {
    pub title: String,
    pub body: String,
    pub outlet: String,
    /// ISO date, `YYYY-MM-DD`.
    pub date: String,
    /// Gold story id: equal ids are the same story.
    pub gold: usize,
    /// Which transformation made it: `original`, `page-copy` (a real copy on the shipped page),
    /// one of [`COPY_KINDS`] or one of [`HARD_NEGATIVE_KINDS`].
    pub kind: &'static str,
}

/// Copy transformations, in report order.
pub const COPY_KINDS: [&str; 12] = [
    "wire-prefix",
    "tagged-headline",
    "headline-rewrite",
    "dropped-paragraph",
    "dropped-sentences",
    "reordered",
    "number-format",
    "width-nfd",
    "whitespace",
    "added-paragraph",
    "edited",
    "combined",
];

/// Hard-negative constructions, in report order. Each such article is the root of its own story.
pub const HARD_NEGATIVE_KINDS: [&str; 4] = [
    "hard-negative-template",
    "hard-negative-shared-sentence",
    "hard-negative-same-title",
    "hard-negative-follow-up",
];

/// Every kind, in report order.
pub fn all_kinds() -> impl Iterator<Item = &'static str> {
    ["original", "page-copy"]
        .into_iter()
        .chain(COPY_KINDS)
        .chain(HARD_NEGATIVE_KINDS)
}

/// Whether an article of this kind is the root its story's copies were made from.
pub fn is_root(kind: &str) -> bool {
    kind == "original" || kind.starts_with("hard-negative")
}

/// The shipped page's articles that are the same story (normalised titles; 1-based positions on
/// the page: 8, 9, 20 · 11, 16 · 12, 15 · 10, 19). Matched by title rather than position so a
/// reordered or partial page still gets them right.
const PAGE_GROUPS: [&[&str]; 4] = [
    &[
        "카톡 먹통에 과방위 국감 증인 신경전",
        "‘카카오 먹통’ 김범수, 24일 과방위 국감장 나오나…여야 증인 협의 진통",
    ],
    &[
        "서버 비용 낮추려고 판교 집중… 카카오 ‘디지털 정전’ 키웠다",
        "복구 빨랐던 네이버, ‘판교’ 집중한 카카오는 화 키워",
    ],
    &[
        "몸만 불린 카카오… 기본도 안 지켰다",
        "원시적 사고에 당했다…몸집 키우는데 급급했던 카카오, 이원화는 먹통",
    ],
    &[
        "공짜로 쓰는 카톡, 손배소는 쉽지 않아",
        "카카오 통신 대란, 손배 가능할까…법조계 “무료 서비스라 면책·경감”",
    ],
];

/// Gold story id of each seed, numbered 0, 1, … in order of first appearance: seeds whose titles
/// belong to one of the shipped page's known groups share an id, every other seed is its own
/// story.
pub fn seed_gold(seeds: &[Article]) -> Vec<usize> {
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    seeds
        .iter()
        .enumerate()
        .map(|(i, seed)| {
            let title = clean(&seed.title);
            let key = PAGE_GROUPS
                .iter()
                .position(|g| g.contains(&title.as_str()))
                .map_or_else(|| format!("seed {i}"), |g| format!("group {g}"));
            let next = ids.len();
            *ids.entry(key).or_insert(next)
        })
        .collect()
}

/// Stories written for this file (title, body; paragraphs separated by `\n`). Invented for
/// testing, on topics far from the seeds, so that negatives are not all about one event.
pub const OWN: [(&str, &str); 13] = [
    (
        "내일 아침 올가을 최저기온…중부 내륙 첫 서리",
        "기상청은 내일 아침 중부 내륙의 기온이 영하 2도까지 떨어지며 올가을 들어 가장 추울 것이라고 예보했다. 서울의 아침 최저기온은 3도, 낮 최고기온은 14도로 오늘보다 5도가량 낮겠다. 강원 산지와 경기 북부에는 첫 서리가 내리고 물이 어는 곳도 있겠다고 기상청은 설명했다.\n찬 공기가 남하하면서 바람도 강하게 불어 체감온도는 실제 기온보다 더 낮을 전망이다. 해안 지역에는 순간풍속 초속 15m 안팎의 강풍이 예상돼 시설물 관리에 유의해야 한다. 기상청 관계자는 “일교차가 15도 이상 벌어지는 만큼 건강 관리에 신경 써 달라”고 당부했다. 추위는 주말 낮부터 평년 기온을 회복하며 점차 풀리겠다.",
    ),
    (
        "한강 유니콘스, 연장 혈투 끝 한국시리즈 첫 승",
        "한강 유니콘스가 연장 11회 접전 끝에 동해 돌핀스를 4대3으로 꺾고 한국시리즈 1차전을 가져갔다. 3대3으로 맞선 11회말 1사 2루에서 대타로 나선 신인 박도윤이 끝내기 적시타를 때려 2만3000명의 관중을 열광하게 했다. 선발 투수 이재혁은 6이닝 동안 삼진 8개를 잡으며 2실점으로 제 몫을 했다.\n동해 돌핀스는 9회초 동점 홈런으로 경기를 연장으로 끌고 갔지만 불펜이 무너지며 고개를 숙였다. 역대 한국시리즈에서 1차전 승리 팀이 우승한 비율은 70%를 넘는다. 김태성 감독은 경기 뒤 “선수들이 끝까지 집중력을 잃지 않았다”며 “2차전도 총력전으로 나서겠다”고 말했다. 두 팀의 2차전은 내일 오후 6시 30분 같은 장소에서 열린다.",
    ),
    (
        "기준금리 0.25%p 인상…대출 이자 부담 커진다",
        "금융통화위원회는 기준금리를 연 3.25%에서 3.50%로 0.25%포인트 올렸다고 밝혔다. 물가 상승률이 여전히 목표치를 크게 웃도는 데다 주요국과의 금리 격차가 벌어지면서 원화 약세 압력이 커진 점이 고려됐다. 이번 인상으로 변동금리 대출을 받은 가계의 연간 이자 부담은 3조원가량 늘어날 것으로 추산된다.\n시장에서는 이번 결정을 대체로 예상된 수순으로 받아들이는 분위기다. 다만 부동산 경기 둔화와 수출 감소가 겹친 상황에서 추가 인상은 신중해야 한다는 목소리도 나온다. 한 증권사 연구원은 “연내 한 차례 더 인상할 가능성은 절반 정도로 본다”고 말했다. 은행권은 다음 주부터 예금과 대출 금리를 순차적으로 조정할 예정이다.",
    ),
    (
        "강변 따라 등불 3만개…남강 유등축제 개막",
        "남강 위에 3만여 개의 등불을 띄우는 유등축제가 오늘 저녁 개막해 열흘간의 일정에 들어갔다. 올해 축제는 ‘빛으로 잇는 강’을 주제로 전통 등과 미디어아트를 결합한 작품 120여 점을 선보인다. 개막식에는 시민과 관광객 2만여 명이 몰려 강변 산책로가 발 디딜 틈 없이 붐볐다.\n주최 측은 혼잡을 줄이기 위해 주말에는 부교 입장 시간을 30분 단위로 나눠 운영한다. 지역 상인들은 축제 기간 매출이 평소보다 두 배 이상 늘 것으로 기대하고 있다. 축제위원회 관계자는 “안전요원을 지난해보다 40% 늘려 배치했다”며 “질서 있는 관람을 부탁드린다”고 말했다. 행사장 주변 도로는 매일 오후 5시부터 11시까지 차량 통행이 통제된다.",
    ),
    (
        "“층간소음 보복 스피커는 불법행위”…법원, 아래층 주민에 위자료 지급 판결",
        "층간소음에 항의하며 천장에 ‘보복 스피커’를 설치해 소음을 낸 아래층 주민이 위층 가족에게 위자료를 물어주게 됐다. 법원 민사단독 재판부는 위층 주민 A씨 가족이 아래층 주민 B씨를 상대로 낸 손해배상 청구 소송에서 B씨가 1200만원을 지급하라고 판결했다. 재판부는 B씨가 넉 달 동안 밤낮을 가리지 않고 저주파 소음을 틀어 A씨 가족의 평온한 생활을 침해했다고 판단했다.\nB씨는 재판 과정에서 위층의 소음이 먼저였다며 정당한 대응이었다고 주장했다. 그러나 재판부는 “층간소음 피해가 있었다 하더라도 이를 해결하는 방법으로 의도적인 소음을 택한 것은 허용될 수 없다”고 밝혔다. 법조계에서는 층간소음 분쟁에서 보복 행위 자체의 책임을 분명히 한 판결이라는 평가가 나온다. B씨 측은 판결문을 검토한 뒤 항소 여부를 결정하겠다는 입장이다.",
    ),
    (
        "독감 유행주의보 발령…“고위험군 서둘러 접종해야”",
        "방역 당국은 인플루엔자 의사환자 비율이 유행 기준을 넘어섬에 따라 전국에 독감 유행주의보를 발령했다. 지난주 외래환자 1000명당 의사환자는 7.1명으로 유행 기준인 4.9명을 크게 웃돌았다. 특히 7세에서 12세 사이 초등학생 연령대의 환자 비율이 가장 높게 나타났다.\n방역 당국은 65세 이상 어르신과 어린이, 임신부 등 고위험군에게 무료 예방접종을 서둘러 달라고 당부했다. 예방접종은 전국 2만여 곳의 지정 의료기관과 보건소에서 받을 수 있다. 방역 당국 관계자는 “접종 후 항체가 생기기까지 2주 정도 걸리는 만큼 지금 맞는 것이 좋다”고 말했다. 손 씻기와 기침 예절 같은 기본 수칙을 지키는 것도 중요하다고 덧붙였다.",
    ),
    (
        "수능 D-30…“남은 한 달, 새 문제보다 오답 정리”",
        "대학수학능력시험이 꼭 30일 앞으로 다가오면서 수험생들의 막바지 학습 전략에 관심이 쏠린다. 입시 전문가들은 남은 기간 새로운 문제집을 풀기보다 그동안 틀린 문제를 다시 점검하는 것이 효과적이라고 조언한다. 올해 수능 응시 지원자는 50만8000여 명으로 지난해보다 약 1만 명 늘었다.\n졸업생 등 이른바 N수생 비율은 31%로 최근 20여 년 사이 가장 높은 수준이다. 전문가들은 실제 시험 시간표에 맞춰 생활 리듬을 조정하라고 권한다. 한 입시업체 대표는 “수면 시간을 줄이면서 공부량을 늘리는 것은 오히려 역효과가 날 수 있다”고 말했다. 교육 당국은 시험 당일 수험생 수송 대책과 소음 통제 계획을 다음 달 초 발표할 예정이다.",
    ),
    (
        "지하철 노조 “다음 달 1일 총파업”…출근길 혼잡 우려",
        "수도권 지하철을 운영하는 공사 노동조합이 인력 감축안 철회를 요구하며 다음 달 1일부터 총파업에 들어가겠다고 예고했다. 노조는 조합원 투표에서 찬성률 79%로 쟁의행위를 가결했다고 밝혔다. 사측은 경영 정상화를 위해 앞으로 4년 동안 인력 1500여 명을 줄이는 계획을 추진하고 있다.\n파업이 현실화하면 출퇴근 시간대를 제외한 낮 시간 운행률은 평소의 70% 수준으로 떨어질 전망이다. 시는 비상수송대책본부를 꾸리고 시내버스 증차와 전세버스 투입을 검토하고 있다. 노사는 파업 전날까지 막판 교섭을 이어갈 계획이어서 극적 타결 가능성도 남아 있다. 한 시민은 “매번 출근길이 볼모가 되는 것 같아 답답하다”고 말했다.",
    ),
    (
        "차세대 중형위성 2호 발사 성공…지상국과 첫 교신",
        "국내 연구진이 개발한 차세대 중형위성 2호가 발사체에 실려 우주로 향한 뒤 지상국과 첫 교신에 성공했다. 위성은 발사 1시간 4분 뒤 목표 궤도에 진입했고, 남극 인근 지상국과 교신해 태양전지판이 정상적으로 펼쳐진 것을 확인했다. 이 위성은 고도 500㎞ 상공에서 하루 네 차례 한반도를 촬영한다.\n연구진은 앞으로 6개월 동안 탑재체 성능을 점검한 뒤 본격적인 임무에 들어갈 계획이다. 위성이 보내오는 고해상도 영상은 국토 관리와 재난 감시, 농작물 작황 분석 등에 활용된다. 사업단장은 “핵심 부품의 국산화율을 90% 이상으로 끌어올렸다는 데 의미가 있다”고 말했다. 같은 계열의 3호 위성은 내후년 발사를 목표로 조립이 진행 중이다.",
    ),
    (
        "사과 한 상자 5만원 넘어…이른 추위·우박에 작황 부진",
        "올해 사과 생산량이 줄면서 추석 이후에도 사과값이 좀처럼 내려가지 않고 있다. 도매시장에서 거래된 사과 10㎏ 상자의 평균 가격은 5만2000원으로 지난해 같은 기간보다 38% 올랐다. 봄철 냉해와 여름 우박 피해가 겹치면서 주산지의 생산량이 크게 감소했다.\n농림 당국은 비축 물량을 시장에 풀고 대형마트 할인 행사를 지원하기로 했다. 하지만 저장 물량 자체가 부족해 가격 안정 효과는 제한적일 것이라는 관측이 많다. 과수 농가들은 “수확량이 절반으로 줄어 값이 올라도 손에 쥐는 돈은 오히려 적다”고 하소연했다. 전문가들은 기후 변화에 대비한 품종 개발과 재해 보험 확대가 필요하다고 지적했다.",
    ),
    (
        "전세사기 피해자 1000명 넘어…정부, 긴급 주거 지원",
        "전세보증금을 돌려받지 못한 이른바 전세사기 피해자가 한 지역에서만 1000명을 넘어선 것으로 집계됐다. 피해자들이 맡긴 보증금은 모두 1800억원에 이르며, 대부분 20대와 30대 사회초년생인 것으로 나타났다. 경찰은 주택 수백 채를 보유한 임대인 일당이 보증금을 돌려막기 한 것으로 보고 수사를 벌이고 있다.\n정부는 피해자가 살던 집이 경매로 넘어가더라도 당분간 거주할 수 있도록 긴급 주거 지원에 나서기로 했다. 저금리 대환대출과 경매 유예 조치도 함께 시행된다. 한 피해자는 “전 재산을 잃고 결혼 계획도 미뤘다”며 눈물을 보였다. 시민단체들은 피해자 구제를 위한 특별법 제정을 서둘러야 한다고 촉구했다.",
    ),
    (
        "1500년 전 가야 금관 한자리에…국립박물관 특별전",
        "가야 지역 고분에서 출토된 금관과 장신구를 한자리에서 볼 수 있는 특별전이 국립박물관에서 개막했다. 전시에는 보물로 지정된 금동관 2점을 포함해 유물 300여 점이 나왔다. 특히 최근 발굴 조사에서 처음 확인된 말갖춤 장식이 일반에 처음 공개돼 눈길을 끈다.\n박물관은 유물의 제작 기법을 보여주기 위해 3차원 스캔 영상과 복원 모형도 함께 전시했다. 관람은 무료이며 매주 수요일과 토요일에는 오후 9시까지 야간 개장을 한다. 학예연구사는 “가야가 주변 나라들과 활발하게 교류한 국제적인 문화였다는 점을 보여주고 싶었다”고 말했다. 전시는 내년 2월 말까지 이어진 뒤 지방 순회전으로 이어진다.",
    ),
    (
        "야산 산불 6시간 만에 주불 진화…주민 300여명 대피",
        "동해안의 한 야산에서 발생한 산불이 6시간 만에 큰 불길이 잡혔다. 산림 당국은 헬기 12대와 진화 인력 800여 명을 투입해 오후 5시쯤 주불을 진화했다고 밝혔다. 불이 민가 쪽으로 번지면서 인근 마을 주민 300여 명이 초등학교 체육관으로 대피했다.\n이번 불로 산림 약 25㏊가 탄 것으로 추정되며 인명 피해는 없는 것으로 확인됐다. 당시 현장에는 초속 10m가 넘는 강한 바람이 불어 진화에 어려움을 겪었다. 산림 당국은 잔불 정리를 마치는 대로 정확한 발화 원인과 피해 규모를 조사할 계획이다. 당국은 건조한 날씨가 이어지는 만큼 논밭 태우기 등 불씨 관리에 각별히 주의해 달라고 당부했다.",
    ),
];

/// An outlet's own paragraph, added by `added-paragraph` copies (generic on purpose: outlets
/// pad wire copy with such lines whatever the topic).
const ADDED: [&str; 12] = [
    "한편 이번 사안과 관련한 추가 설명회는 다음 주 중 열릴 예정이다.",
    "업계 관계자는 “비슷한 일이 되풀이되지 않도록 제도적 보완이 필요하다”고 말했다.",
    "이에 대해 시민단체들은 보다 구체적인 재발 방지 대책을 요구하고 나섰다.",
    "전문가들은 당분간 관련 논란이 이어질 것으로 내다봤다.",
    "본지는 관련 내용을 확인하기 위해 여러 차례 연락했으나 답변을 듣지 못했다.",
    "이 소식이 알려지자 온라인 커뮤니티에는 다양한 반응이 잇따랐다.",
    "정부는 이르면 이달 말 종합 대책을 내놓을 방침이다.",
    "주민들은 “하루빨리 상황이 정리되기를 바란다”고 입을 모았다.",
    "관계 당국은 정확한 경위를 파악하는 대로 결과를 공개하겠다고 밝혔다.",
    "앞서 비슷한 사례가 여러 차례 보고된 바 있어 관심이 쏠린다.",
    "이번 조치의 실효성을 두고는 여전히 의견이 엇갈린다.",
    "향후 추이에 따라 추가 조치가 나올 가능성도 배제할 수 없다.",
];

/// Outlets and their e-mail domains (names only; no content of theirs is used).
const OUTLETS: [(&str, &str); 21] = [
    ("연합뉴스", "yna.co.kr"),
    ("뉴시스", "newsis.com"),
    ("뉴스1", "news1.kr"),
    ("서울신문", "seoul.co.kr"),
    ("한겨레", "hani.co.kr"),
    ("경향신문", "kyunghyang.com"),
    ("조선일보", "chosun.com"),
    ("중앙일보", "joongang.co.kr"),
    ("동아일보", "donga.com"),
    ("한국일보", "hankookilbo.com"),
    ("국민일보", "kmib.co.kr"),
    ("세계일보", "segye.com"),
    ("문화일보", "munhwa.com"),
    ("매일경제", "mk.co.kr"),
    ("한국경제", "hankyung.com"),
    ("머니투데이", "mt.co.kr"),
    ("이데일리", "edaily.co.kr"),
    ("아시아경제", "asiae.co.kr"),
    ("헤럴드경제", "heraldcorp.com"),
    ("파이낸셜뉴스", "fnnews.com"),
    ("전자신문", "etnews.com"),
];

/// Reporter names and e-mail user names (invented).
const REPORTERS: [(&str, &str); 10] = [
    ("홍길동", "hong"),
    ("김철수", "kimcs"),
    ("이서연", "seoyeon"),
    ("박지훈", "jihoon"),
    ("최유진", "yujin"),
    ("정현우", "hyunwoo"),
    ("강다은", "daeun"),
    ("윤성호", "sungho"),
    ("임하늘", "haneul"),
    ("한지민", "jimin"),
];

const TAGS: [&str; 5] = ["속보", "종합", "단독", "종합2보", "1보"];
const CITIES: [&str; 4] = ["서울", "세종", "부산", "대전"];

/// Sentences shorter than this (in characters) are not drawn into recombined stories: they are
/// fragments (`● 소제목`) rather than sentences.
const MIN_POOL_SENTENCE: usize = 20;
/// Longer sentences (long quotes) are not drawn either: one shared sentence of 300 characters
/// would make two short stories look alike.
const MAX_POOL_SENTENCE: usize = 100;
/// A recombined body has at least this many characters, so that one shared pool sentence stays
/// a small part of it (at most 100 / 600 of its text, 100 / 360 of a copy keeping 60 %).
pub(crate) const MIN_BODY_CHARS: usize = 480;
/// The largest share of a story's characters that one sentence shared with another story may
/// be: with copies keeping 60 % of their sentences, a shared sentence stays under a third of a
/// copy.
const MAX_SHARE: f64 = 0.2;
/// The largest share of either text that a follow-up's recap of its anchor may take. Follow-ups
/// are the hardest negatives: a third of a text repeated, the rest new.
const FOLLOW_UP_SHARE: f64 = 0.3;
/// A pool sentence is used by at most this many stories, so that no sentence dominates.
pub(crate) const MAX_USES: usize = 16;

/// An outlet's boilerplate around a body. Every form is one `normalise` strips, except the
/// `▶` related-headline lines, which survive normalisation as real sites' boxes do.
#[derive(Debug, Clone)]
pub(crate) struct Template {
    outlet: &'static str,
    reporter: &'static str,
    email: String,
    city: &'static str,
    lead: u8,
    tail: u8,
    credit: bool,
    related: Vec<String>,
}

impl Template {
    fn random(rng: &mut ChaCha8Rng, outlet: usize, related_pool: &[String]) -> Template {
        let (outlet, domain) = OUTLETS[outlet];
        let (reporter, user) = *REPORTERS.choose(rng).expect("reporters");
        let related = if rng.random_bool(0.25) {
            related_pool
                .choose_multiple(rng, 3)
                .map(|t| t.to_string())
                .collect()
        } else {
            Vec::new()
        };
        Template {
            outlet,
            reporter,
            email: format!("{user}@{domain}"),
            city: CITIES.choose(rng).expect("cities"),
            lead: rng.random_range(0..5),
            tail: rng.random_range(0..6),
            credit: rng.random_bool(0.3),
            related,
        }
    }

    /// The body as this outlet prints it.
    fn wrap(&self, body: &str) -> String {
        let (o, r, e) = (self.outlet, self.reporter, &self.email);
        let lead = match self.lead {
            0 => format!("({}={o}) {r} 기자 = ", self.city),
            1 => format!("[{o} {r} 기자] "),
            2 => format!("【{}={o}】{r} 기자 = ", self.city),
            3 => format!("{r} 기자 = "),
            _ => String::new(),
        };
        let tail = match self.tail {
            0 => format!(" {e}"),
            1 => format!("\n{r} 기자 {e}"),
            2 => format!("\nⓒ {o} 무단전재 및 재배포 금지"),
            3 => format!(" {e}\n<저작권자 ⓒ {o}, 무단전재 및 재배포 금지>"),
            4 => format!("\n/{r} 기자 {e}\nⓒ {o}, 무단전재-재배포, AI 학습 및 활용 금지"),
            _ => format!(" {r} 기자 {e} Copyright ⓒ {o}. All rights reserved."),
        };
        let mut body = body.to_string();
        if self.credit {
            // A photo credit on its own line after the first paragraph (or sentence).
            let at = body
                .find('\n')
                .or_else(|| body.find(". ").map(|i| i + 1))
                .unwrap_or(body.len());
            body.insert_str(at, &format!("\n사진={o}\n"));
        }
        let mut related = String::new();
        if !self.related.is_empty() {
            related.push_str("\n▶ 관련기사");
            for t in &self.related {
                related.push_str("\n▶ ");
                related.push_str(t);
            }
        }
        format!("{lead}{body}{related}{tail}")
    }
}

/// A story's text as sentences in paragraphs.
#[derive(Debug, Clone)]
pub(crate) struct Draft {
    pub(crate) title: String,
    pub(crate) paragraphs: Vec<Vec<String>>,
}

impl Draft {
    pub(crate) fn parse(title: &str, body: &str) -> Draft {
        Draft {
            title: title.trim().to_string(),
            paragraphs: body
                .lines()
                .map(split_sentences)
                .filter(|p| !p.is_empty())
                .collect(),
        }
    }

    pub(crate) fn render(&self) -> String {
        self.paragraphs
            .iter()
            .map(|p| p.join(" "))
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub(crate) fn sentence_count(&self) -> usize {
        self.paragraphs.iter().map(Vec::len).sum()
    }

    pub(crate) fn sentences(&self) -> impl Iterator<Item = &String> {
        self.paragraphs.iter().flatten()
    }
}

/// Splits a paragraph into sentences after `.`, `?` or `!` followed by whitespace or the end,
/// outside “double quotes” (a quote of several sentences stays one sentence). Nothing is
/// dropped: joining the pieces with spaces gives the paragraph back.
pub(crate) fn split_sentences(paragraph: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut depth = 0u32;
    let mut chars = paragraph.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '“' => depth += 1,
            '”' => depth = depth.saturating_sub(1),
            '.' | '?' | '!'
                if depth == 0 && chars.peek().is_none_or(|&(_, n)| n.is_whitespace()) =>
            {
                let end = i + c.len_utf8();
                let s = paragraph[start..end].trim();
                if !s.is_empty() {
                    out.push(s.to_string());
                }
                start = end;
            }
            _ => {}
        }
    }
    let rest = paragraph[start..].trim();
    if !rest.is_empty() {
        out.push(rest.to_string());
    }
    out
}

/// A headline made from a sentence: its first words, about 14–30 characters.
pub(crate) fn headline_from(sentence: &str) -> String {
    let mut title = String::new();
    for word in sentence.split_whitespace() {
        if title.chars().count() >= 14 || title.chars().count() + word.chars().count() > 30 {
            break;
        }
        if !title.is_empty() {
            title.push(' ');
        }
        title.push_str(word);
    }
    if title.is_empty() {
        title = sentence.chars().take(30).collect();
    }
    title
        .trim_end_matches(['.', ',', '“', '”', '‘', '’', '"'])
        .to_string()
}

/// Sentences that stories may share, and which stories use each.
#[derive(Default)]
pub(crate) struct Pool {
    pub(crate) sentences: Vec<String>,
    pub(crate) users: Vec<Vec<usize>>,
    /// Sentence text to position: a sentence printed in two seed articles is one entry.
    pub(crate) index: BTreeMap<String, usize>,
}

impl Pool {
    pub(crate) fn add(&mut self, sentence: &str, story: usize) {
        if let Some(&s) = self.index.get(sentence) {
            if !self.users[s].contains(&story) {
                self.users[s].push(story);
            }
            return;
        }
        self.index
            .insert(sentence.to_string(), self.sentences.len());
        self.sentences.push(sentence.to_string());
        self.users.push(vec![story]);
    }

    /// At least `n` sentences and [`MIN_BODY_CHARS`] characters (as far as the pool allows, at
    /// most 2n sentences) such that the new story shares at most one sentence with any story
    /// and none with the stories in `avoid`.
    ///
    /// A shared sentence is also at most [`MAX_SHARE`] of the story it comes from (`chars[u]`
    /// is story u's length), so a short story is not half-covered by another story.
    pub(crate) fn pick(
        &self,
        rng: &mut ChaCha8Rng,
        n: usize,
        avoid: &[usize],
        chars_of: &[usize],
    ) -> Vec<usize> {
        let mut touched: BTreeSet<usize> = avoid.iter().copied().collect();
        // Least used first (random among equals): spreads the uses so the pool lasts longer.
        let mut order: Vec<usize> = (0..self.sentences.len()).collect();
        order.shuffle(rng);
        order.sort_by_key(|&s| self.users[s].len());
        let mut chosen = Vec::with_capacity(n);
        let mut chars = 0;
        for s in order {
            if (chosen.len() >= n && chars >= MIN_BODY_CHARS) || chosen.len() == 2 * n {
                break;
            }
            let users = &self.users[s];
            let len = self.sentences[s].chars().count();
            if !(MIN_POOL_SENTENCE..=MAX_POOL_SENTENCE).contains(&len)
                || users.len() >= MAX_USES
                || users
                    .iter()
                    .any(|&u| touched.contains(&u) || len as f64 > MAX_SHARE * chars_of[u] as f64)
            {
                continue;
            }
            touched.extend(users.iter().copied());
            chosen.push(s);
            chars += len;
        }
        chosen
    }

    pub(crate) fn claim(&mut self, sentences: &[usize], story: usize) {
        for &s in sentences {
            self.users[s].push(story);
        }
    }
}

/// A gold story: its text, its original's template, its day.
pub(crate) struct Story {
    pub(crate) draft: Draft,
    /// Characters of the root's body (normalised, as rendered).
    pub(crate) chars: usize,
    pub(crate) template: Option<Template>,
    pub(crate) outlet: usize,
    pub(crate) day: u32,
}

/// Everything the generator carries along.
pub(crate) struct Builder {
    pub(crate) rng: ChaCha8Rng,
    pub(crate) pool: Pool,
    pub(crate) stories: Vec<Story>,
    pub(crate) titles: BTreeSet<String>,
    pub(crate) related_pool: Vec<String>,
    pub(crate) out: Vec<LabelledArticle>,
}

/// 2022-10-01 plus `day` days (0..61), as an ISO date.
fn iso(day: u32) -> String {
    if day < 31 {
        format!("2022-10-{:02}", day + 1)
    } else {
        format!("2022-11-{:02}", (day - 30).min(30))
    }
}

/// Number of copies of a story: 0–6, mean about 2.35 (most stories are carried by few outlets).
pub(crate) fn copy_count(rng: &mut ChaCha8Rng) -> usize {
    const WEIGHTS: [u32; 7] = [20, 20, 18, 14, 11, 9, 8];
    let mut x = rng.random_range(0..WEIGHTS.iter().sum::<u32>());
    for (k, &w) in WEIGHTS.iter().enumerate() {
        if x < w {
            return k;
        }
        x -= w;
    }
    WEIGHTS.len() - 1
}

impl Builder {
    fn emit(
        &mut self,
        gold: usize,
        kind: &'static str,
        title: String,
        body: String,
        outlet: &str,
        day: u32,
    ) {
        self.out.push(LabelledArticle {
            title,
            body,
            outlet: outlet.to_string(),
            date: iso(day),
            gold,
            kind,
        });
    }

    /// Adds a story whose root is emitted by the caller; returns its gold id.
    pub(crate) fn push_story(
        &mut self,
        draft: Draft,
        template: Option<Template>,
        outlet: usize,
        day: u32,
    ) {
        self.titles.insert(draft.title.clone());
        self.stories.push(Story {
            chars: draft.render().chars().count(),
            draft,
            template,
            outlet,
            day,
        });
    }

    /// One sentence of story `anchor` to quote: a quote (`“`) when it has one, of at most
    /// [`MAX_SHARE`] of the anchor (the shortest sentence when all are longer).
    pub(crate) fn quote(&mut self, anchor: usize) -> String {
        let a = &self.stories[anchor];
        let limit = (MAX_SHARE * a.chars as f64) as usize;
        let fits = |s: &&String| s.chars().count() <= limit;
        let mut quoted: Vec<&String> = a
            .draft
            .sentences()
            .filter(|s| s.contains('“'))
            .filter(fits)
            .collect();
        if quoted.is_empty() {
            quoted = a.draft.sentences().filter(fits).collect();
        }
        if quoted.is_empty() {
            quoted = a
                .draft
                .sentences()
                .min_by_key(|s| s.chars().count())
                .into_iter()
                .collect();
        }
        quoted
            .choose(&mut self.rng)
            .expect("a sentence")
            .to_string()
    }

    /// Consecutive sentences of story `anchor` from a random one on, at most
    /// [`FOLLOW_UP_SHARE`] of the anchor and of a fresh body of [`MIN_BODY_CHARS`] (at least
    /// one sentence): the background a follow-up story repeats.
    pub(crate) fn recap(&mut self, anchor: usize) -> Vec<String> {
        let a = &self.stories[anchor];
        let limit = (FOLLOW_UP_SHARE * a.chars.min(MIN_BODY_CHARS) as f64) as usize;
        let sentences: Vec<&String> = a.draft.sentences().collect();
        let start = self.rng.random_range(0..sentences.len());
        let mut recap: Vec<String> = Vec::new();
        let mut chars = 0;
        for s in &sentences[start..] {
            let len = s.chars().count();
            if !recap.is_empty() && chars + len > limit {
                break;
            }
            chars += len;
            recap.push(s.to_string());
        }
        recap
    }

    /// A unique headline for a body: from its first sentence, or the next ones if taken.
    pub(crate) fn fresh_title(&self, draft: &Draft) -> String {
        for s in draft.sentences() {
            let t = headline_from(s);
            if !self.titles.contains(&t) {
                return t;
            }
        }
        format!(
            "{} ({})",
            headline_from(&draft.paragraphs[0][0]),
            self.stories.len()
        )
    }

    /// A recombined body of `n` pool sentences touching no story in `avoid`, in paragraphs of
    /// 2–4 sentences. `None` when the pool cannot give three sentences.
    pub(crate) fn fresh_body(&mut self, n: usize, avoid: &[usize]) -> Option<(Vec<usize>, Draft)> {
        let chars: Vec<usize> = self.stories.iter().map(|s| s.chars).collect();
        let picked = self.pool.pick(&mut self.rng, n, avoid, &chars);
        if picked.len() < 3 {
            return None;
        }
        let mut paragraphs = Vec::new();
        let mut rest: &[usize] = &picked;
        while !rest.is_empty() {
            let k = self.rng.random_range(2..=4).min(rest.len());
            paragraphs.push(
                rest[..k]
                    .iter()
                    .map(|&s| self.pool.sentences[s].clone())
                    .collect(),
            );
            rest = &rest[k..];
        }
        Some((
            picked,
            Draft {
                title: String::new(),
                paragraphs,
            },
        ))
    }

    /// The root article of a new story, with its outlet's boilerplate with probability `p`.
    fn emit_root(&mut self, gold: usize, kind: &'static str, draft: &Draft, p: f64) -> Story {
        let outlet = self.rng.random_range(0..OUTLETS.len());
        let template = self
            .rng
            .random_bool(p)
            .then(|| Template::random(&mut self.rng, outlet, &self.related_pool));
        let day = self.rng.random_range(0..60);
        self.emit_story(gold, kind, draft.clone(), outlet, day, template)
    }

    /// Emits a story's root article: the draft, wrapped in `template` when there is one.
    fn emit_story(
        &mut self,
        gold: usize,
        kind: &'static str,
        draft: Draft,
        outlet: usize,
        day: u32,
        template: Option<Template>,
    ) -> Story {
        let body = draft.render();
        let body = template.as_ref().map_or(body.clone(), |t| t.wrap(&body));
        self.emit(
            gold,
            kind,
            draft.title.clone(),
            body,
            OUTLETS[outlet].0,
            day,
        );
        Story {
            chars: 0,
            draft,
            template,
            outlet,
            day,
        }
    }

    /// 0–6 copies of story `gold` by other outlets.
    fn copies(&mut self, gold: usize) {
        let n = copy_count(&mut self.rng);
        let mut outlets: Vec<usize> = (0..OUTLETS.len())
            .filter(|&o| o != self.stories[gold].outlet)
            .collect();
        outlets.shuffle(&mut self.rng);
        for &outlet in outlets.iter().take(n) {
            // `combined` twice as often: it is the realistic case.
            let k = self.rng.random_range(0..COPY_KINDS.len() + 1);
            let kind = COPY_KINDS[k.min(COPY_KINDS.len() - 1)];
            let story = &self.stories[gold];
            let (draft, day) = (story.draft.clone(), story.day);
            let (title, body) = transform(&mut self.rng, kind, draft);
            let templated = kind == "wire-prefix" || self.rng.random_bool(0.8);
            let body = if templated {
                Template::random(&mut self.rng, outlet, &self.related_pool).wrap(&body)
            } else {
                body
            };
            let day = day + self.rng.random_range(0..=1);
            self.emit(gold, kind, title, body, OUTLETS[outlet].0, day);
        }
    }
}

static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d+?)(천억원|000억 원|억원|억 원|만원|만 원|만명|%|퍼센트|일|시간|명|년)")
        .expect("number regex")
});

/// Copy-editing an outlet applies to wire text: other sentence endings, short forms, dropped
/// connectives and time words (`지난 15일` → `15일`). Keys are tried longest first.
const EDITS: [(&str, &str); 22] = [
    ("것으로 보인다.", "것으로 관측된다."),
    ("과학기술정보통신부", "과기정통부"),
    ("에 따르면", "에 의하면"),
    ("밝혔다.", "전했다."),
    ("전했다.", "밝혔다."),
    ("말했다.", "설명했다."),
    ("예정이다.", "계획이다."),
    ("계획이다.", "방침이다."),
    ("카카오톡", "카톡"),
    ("있다.", "있는 상황이다."),
    ("했다.", "한 것으로 전해졌다."),
    ("또한, ", ""),
    ("아울러 ", ""),
    ("그러나 ", "하지만 "),
    ("하지만 ", "그러나 "),
    ("한편 ", ""),
    ("특히 ", ""),
    ("지난 ", ""),
    ("오는 ", ""),
    ("이날 ", ""),
    ("이번 ", "이 "),
    ("약 ", ""),
];

static EDIT: LazyLock<Regex> = LazyLock::new(|| {
    let mut keys: Vec<&str> = EDITS.iter().map(|e| e.0).collect();
    keys.sort_by_key(|k| std::cmp::Reverse(k.len()));
    let alternation: Vec<String> = keys.iter().map(|k| regex::escape(k)).collect();
    Regex::new(&alternation.join("|")).expect("edit regex")
});

/// Applies [`EDITS`] in one pass, each occurrence with probability 0.8.
pub(crate) fn edit(rng: &mut ChaCha8Rng, text: &str) -> String {
    EDIT.replace_all(text, |c: &regex::Captures| {
        let found = &c[0];
        match EDITS.iter().find(|e| e.0 == found) {
            Some(&(_, to)) if rng.random_bool(0.8) => to.to_string(),
            _ => found.to_string(),
        }
    })
    .into_owned()
}

/// Rewrites number and unit formats, each occurrence with probability 0.7.
pub(crate) fn number_format(rng: &mut ChaCha8Rng, text: &str) -> String {
    NUMBER
        .replace_all(text, |c: &regex::Captures| {
            let (n, unit) = (&c[1], &c[2]);
            if !rng.random_bool(0.7) {
                return c[0].to_string();
            }
            match unit {
                "천억원" => format!("{n}000억 원"),
                "000억 원" => format!("{n}천억원"),
                "억원" => format!("{n}억 원"),
                "억 원" => format!("{n}억원"),
                "만원" => format!("{n}만 원"),
                "만 원" => format!("{n}만원"),
                "만명" => format!("{n}만 명"),
                "%" => format!("{n}퍼센트"),
                "퍼센트" => format!("{n}%"),
                u => format!("{n} {u}"),
            }
        })
        .into_owned()
}

/// Full-width ASCII in some sentences and NFD Hangul in others (what old CMSs and macOS exports
/// produce); `normalise` folds both back.
fn width_nfd(rng: &mut ChaCha8Rng, draft: &mut Draft) {
    for s in draft.paragraphs.iter_mut().flatten() {
        *s = match rng.random_range(0..3) {
            0 => s
                .chars()
                .map(|c| match c {
                    '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
                    c => c,
                })
                .collect(),
            1 => s.nfd().collect(),
            _ => std::mem::take(s),
        };
    }
}

/// Doubled spaces, tabs, ideographic spaces, sentences broken onto lines, CRLF paragraphs.
fn whitespace(rng: &mut ChaCha8Rng, body: &str) -> String {
    let mut out = String::from("  ");
    let mut prev = ' ';
    for c in body.chars() {
        match c {
            ' ' if prev == '.' && rng.random_bool(0.2) => out.push_str("\n\n"),
            ' ' => out.push_str(match rng.random_range(0..20) {
                0 | 1 => "  ",
                2 => "\t",
                3 => " \u{3000}",
                _ => " ",
            }),
            '\n' if rng.random_bool(0.5) => out.push_str("\r\n\r\n"),
            c => out.push(c),
        }
        prev = c;
    }
    out.push_str(" \n");
    out
}

/// Keeps the first sentences (at least 60 % of them): drops the last paragraph when it is small
/// enough, else trailing sentences.
fn drop_tail(rng: &mut ChaCha8Rng, draft: &mut Draft) {
    let n = draft.sentence_count();
    let min_keep = (n * 3).div_ceil(5).max(1);
    if n <= min_keep {
        return;
    }
    if draft.paragraphs.len() > 1 && n - draft.paragraphs.last().map_or(0, Vec::len) >= min_keep {
        draft.paragraphs.pop();
        return;
    }
    let keep = rng.random_range(min_keep..n);
    let mut left = keep;
    for p in &mut draft.paragraphs {
        let k = p.len().min(left);
        p.truncate(k);
        left -= k;
    }
    draft.paragraphs.retain(|p| !p.is_empty());
}

/// Drops random sentences other than the first, keeping at least 60 % of them.
fn drop_sentences(rng: &mut ChaCha8Rng, draft: &mut Draft) {
    let n = draft.sentence_count();
    let min_keep = (n * 3).div_ceil(5).max(1);
    if n <= min_keep {
        return;
    }
    let k = rng.random_range(1..=n - min_keep);
    let drop: BTreeSet<usize> = rand::seq::index::sample(rng, n - 1, k)
        .into_iter()
        .map(|i| i + 1)
        .collect();
    let mut i = 0;
    for p in &mut draft.paragraphs {
        p.retain(|_| {
            let keep = !drop.contains(&i);
            i += 1;
            keep
        });
    }
    draft.paragraphs.retain(|p| !p.is_empty());
}

/// Moves a paragraph (or, in a one-paragraph body, swaps two pairs of sentences).
fn reorder(rng: &mut ChaCha8Rng, draft: &mut Draft) {
    let np = draft.paragraphs.len();
    if np > 1 {
        let from = rng.random_range(1..np);
        let to = rng.random_range(0..from);
        let p = draft.paragraphs.remove(from);
        draft.paragraphs.insert(to, p);
    } else if let Some(p) = draft.paragraphs.first_mut() {
        for _ in 0..2 {
            if p.len() > 2 {
                let i = rng.random_range(1..p.len() - 1);
                p.swap(i, i + 1);
            }
        }
    }
}

/// One or two of the outlet's own sentences, as a paragraph at the end or after the first.
fn add_paragraph(rng: &mut ChaCha8Rng, draft: &mut Draft) {
    let k = rng.random_range(1..=2);
    let added: Vec<String> = ADDED
        .choose_multiple(rng, k)
        .map(|s| s.to_string())
        .collect();
    let at = if rng.random_bool(0.5) {
        draft.paragraphs.len()
    } else {
        1.min(draft.paragraphs.len())
    };
    draft.paragraphs.insert(at, added);
}

pub(crate) fn tag_headline(rng: &mut ChaCha8Rng, title: &str) -> String {
    let tag = TAGS.choose(rng).expect("tags");
    let bare = match title.strip_prefix('[').and_then(|t| t.split_once(']')) {
        Some((_, rest)) => rest.trim_start(),
        None => title,
    };
    format!("[{tag}] {bare}")
}

/// A different headline for the same body: its halves around `…` or `,` swapped, or words of
/// another sentence.
pub(crate) fn rewrite_headline(rng: &mut ChaCha8Rng, draft: &Draft) -> String {
    for sep in ['…', ','] {
        if let Some((a, b)) = draft.title.split_once(sep) {
            if !a.trim().is_empty() && !b.trim().is_empty() && rng.random_bool(0.5) {
                return format!("{}{sep} {}", b.trim(), a.trim());
            }
        }
    }
    let sentences: Vec<&String> = draft.sentences().collect();
    let pick = if sentences.len() > 1 {
        sentences[rng.random_range(1..sentences.len())]
    } else {
        sentences[0]
    };
    let t = headline_from(pick);
    if t == draft.title {
        format!("{t}…")
    } else {
        t
    }
}

/// Applies one copy kind; gives the copy's title and (unwrapped) body.
pub(crate) fn transform(rng: &mut ChaCha8Rng, kind: &str, mut draft: Draft) -> (String, String) {
    let mut title = draft.title.clone();
    match kind {
        "wire-prefix" => {}
        "tagged-headline" => title = tag_headline(rng, &title),
        "headline-rewrite" => title = rewrite_headline(rng, &draft),
        "dropped-paragraph" => drop_tail(rng, &mut draft),
        "dropped-sentences" => drop_sentences(rng, &mut draft),
        "reordered" => reorder(rng, &mut draft),
        "number-format" => {
            title = number_format(rng, &title);
            return (title, number_format(rng, &draft.render()));
        }
        "width-nfd" => width_nfd(rng, &mut draft),
        "whitespace" => return (title, whitespace(rng, &draft.render())),
        "added-paragraph" => add_paragraph(rng, &mut draft),
        "edited" => return (title, edit(rng, &draft.render())),
        "combined" => {
            title = if rng.random_bool(0.5) {
                tag_headline(rng, &title)
            } else {
                rewrite_headline(rng, &draft)
            };
            let mut body_kinds = [
                "dropped-paragraph",
                "dropped-sentences",
                "reordered",
                "added-paragraph",
                "number-format",
                "width-nfd",
                "whitespace",
                "edited",
            ];
            body_kinds.shuffle(rng);
            let mut chosen = body_kinds[..rng.random_range(2..=3)].to_vec();
            // Structure first, then the string-level changes, in a fixed order.
            chosen.sort_by_key(|k| body_kinds_order(k));
            let mut body = None;
            for k in chosen {
                match k {
                    "dropped-paragraph" => drop_tail(rng, &mut draft),
                    "dropped-sentences" => drop_sentences(rng, &mut draft),
                    "reordered" => reorder(rng, &mut draft),
                    "added-paragraph" => add_paragraph(rng, &mut draft),
                    "width-nfd" => width_nfd(rng, &mut draft),
                    "edited" => body = Some(edit(rng, &body.unwrap_or_else(|| draft.render()))),
                    "number-format" => {
                        body = Some(number_format(rng, &body.unwrap_or_else(|| draft.render())))
                    }
                    _ => body = Some(whitespace(rng, &body.unwrap_or_else(|| draft.render()))),
                }
            }
            return (title, body.unwrap_or_else(|| draft.render()));
        }
        other => unreachable!("unknown copy kind {other}"),
    }
    (title, draft.render())
}

fn body_kinds_order(kind: &str) -> usize {
    [
        "dropped-paragraph",
        "dropped-sentences",
        "reordered",
        "added-paragraph",
        "width-nfd",
        "edited",
        "number-format",
        "whitespace",
    ]
    .iter()
    .position(|k| *k == kind)
    .unwrap_or(usize::MAX)
}

/// Generates a labelled set of `stories` gold stories (or more, when the seeds and [`OWN`]
/// already make more): the seeds' stories, the own stories, then recombined stories and hard
/// negatives (about 30 % of the latter), each with 0–6 copies. Articles are returned shuffled.
pub fn generate(seeds: &[Article], seed: u64, stories: usize) -> Vec<LabelledArticle> {
    let mut b = Builder {
        rng: ChaCha8Rng::seed_from_u64(seed),
        pool: Pool::default(),
        stories: Vec::new(),
        titles: BTreeSet::new(),
        related_pool: seeds
            .iter()
            .map(|s| clean(&s.title))
            .chain(OWN.iter().map(|(t, _)| t.to_string()))
            .collect(),
        out: Vec::new(),
    };

    // The seeds: each gold group once as a story, its first member the original, the others
    // real copies, all verbatim.
    let golds = seed_gold(seeds);
    for (i, seed_article) in seeds.iter().enumerate() {
        let gold = golds[i];
        let day = match seed_article.date.iso() {
            // Dates on the page are absent; 2022-10-15..17 is when it was written.
            "" => 14 + (i % 3) as u32,
            _ => 16,
        };
        let outlet = seed_article
            .outlet
            .clone()
            .unwrap_or("서울신문".to_string());
        if gold < b.stories.len() {
            b.emit(
                gold,
                "page-copy",
                seed_article.title.clone(),
                seed_article.body.clone(),
                &outlet,
                day,
            );
            continue;
        }
        let draft = Draft::parse(&clean(&seed_article.title), &clean(&seed_article.body));
        for s in draft.sentences() {
            b.pool.add(s, gold);
        }
        b.emit(
            gold,
            "original",
            seed_article.title.clone(),
            seed_article.body.clone(),
            &outlet,
            day,
        );
        let home = OUTLETS.iter().position(|o| o.0 == outlet).unwrap_or(3);
        b.push_story(draft, None, home, day);
    }

    for (title, body) in OWN {
        if b.stories.len() >= stories {
            break;
        }
        let gold = b.stories.len();
        let draft = Draft::parse(title, body);
        for s in draft.sentences() {
            b.pool.add(s, gold);
        }
        let story = b.emit_root(gold, "original", &draft, 0.6);
        b.push_story(story.draft, story.template, story.outlet, story.day);
    }

    while b.stories.len() < stories {
        let gold = b.stories.len();
        let hard = gold > 0 && b.rng.random_bool(0.3);
        let n = b.rng.random_range(6..=9);
        let kind = if hard {
            HARD_NEGATIVE_KINDS.choose(&mut b.rng).copied()
        } else {
            None
        };
        // A template negative needs an anchor printed with boilerplate.
        let anchors: Vec<usize> = (0..gold)
            .filter(|&a| kind != Some("hard-negative-template") || b.stories[a].template.is_some())
            .collect();
        let kind = kind.filter(|_| !anchors.is_empty());
        let anchor = anchors.choose(&mut b.rng).copied().unwrap_or(0);
        // Sentences taken from the anchor (shared-sentence and follow-up negatives) are chosen
        // first, so the fresh body can avoid every story that already uses them: the new story
        // then shares them with the anchor and at most one sentence with any other story.
        let borrowed = match kind {
            Some("hard-negative-shared-sentence") => vec![b.quote(anchor)],
            Some("hard-negative-follow-up") => b.recap(anchor),
            _ => Vec::new(),
        };
        let mut avoid: Vec<usize> = kind.map(|_| anchor).into_iter().collect();
        for s in &borrowed {
            if let Some(&i) = b.pool.index.get(s) {
                avoid.extend(b.pool.users[i].iter().copied());
                b.pool.users[i].push(gold);
            }
        }
        let Some((picked, mut draft)) = b.fresh_body(n, &avoid) else {
            break;
        };
        b.pool.claim(&picked, gold);
        draft.title = b.fresh_title(&draft);
        let story = match kind {
            None => b.emit_root(gold, "original", &draft, 0.6),
            Some("hard-negative-template") => {
                // The anchor's outlet, reporter, footer and related box around another body.
                let a = &b.stories[anchor];
                let (outlet, day) = (a.outlet, a.day);
                let template = a.template.clone().expect("anchor with a template");
                if let Some(tag) = a
                    .draft
                    .title
                    .strip_prefix('[')
                    .and_then(|t| t.split_once(']'))
                {
                    draft.title = format!("[{}] {}", tag.0, draft.title);
                }
                b.emit_story(gold, kind.unwrap(), draft, outlet, day, Some(template))
            }
            Some("hard-negative-shared-sentence") => {
                // The anchor's sentence at a random place (two outlets carrying the same remark
                // in different stories).
                let p = b.rng.random_range(0..draft.paragraphs.len());
                let at = b.rng.random_range(0..=draft.paragraphs[p].len());
                draft.paragraphs[p].insert(at, borrowed[0].clone());
                b.emit_root(gold, kind.unwrap(), &draft, 0.6)
            }
            Some("hard-negative-follow-up") => {
                // The recap as a closing background paragraph.
                draft.paragraphs.push(borrowed);
                b.emit_root(gold, kind.unwrap(), &draft, 0.6)
            }
            Some(_) => {
                // The same headline over a different body (a series title, a recurring column).
                draft.title = b.stories[anchor].draft.title.clone();
                b.emit_root(gold, kind.unwrap(), &draft, 0.6)
            }
        };
        b.push_story(story.draft, story.template, story.outlet, story.day);
    }

    for gold in 0..b.stories.len() {
        b.copies(gold);
    }
    let mut out = b.out;
    out.shuffle(&mut b.rng);
    out
}

#[derive(Serialize)]
struct Line<'a> {
    id: String,
    title: &'a str,
    body: &'a str,
    outlet: &'a str,
    date: &'a str,
    gold: usize,
    kind: &'a str,
}

/// Writes the set as JSONL (`id`, `title`, `body`, `outlet`, `date`, `gold`, `kind`), ready for
/// `bodo run`; ingest ignores `gold` and `kind`. Ids are `dup-000001`, … in order.
pub fn write_jsonl(articles: &[LabelledArticle], out: &mut impl Write) -> std::io::Result<()> {
    for (i, a) in articles.iter().enumerate() {
        let line = Line {
            id: format!("dup-{:06}", i + 1),
            title: &a.title,
            body: &a.body,
            outlet: &a.outlet,
            date: &a.date,
            gold: a.gold,
            kind: a.kind,
        };
        serde_json::to_writer(&mut *out, &line).map_err(std::io::Error::other)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Pairwise and B-cubed scores of a predicted clustering against gold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    pub pair_precision: f64,
    pub pair_recall: f64,
    pub pair_f1: f64,
    pub bcubed_precision: f64,
    pub bcubed_recall: f64,
    pub bcubed_f1: f64,
}

/// `a / b`, with 0/0 = 1 (see the module docs).
pub(crate) fn ratio(a: f64, b: f64) -> f64 {
    if b == 0.0 {
        1.0
    } else {
        a / b
    }
}

pub(crate) fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Scores `predicted` (a cluster label per item, e.g. its representative) against `gold` (a
/// story id per item); the labels' values do not matter, only which items share one.
///
/// Pairwise: over unordered pairs of items, positive when in one cluster; precision = true
/// positive pairs / predicted positive pairs, recall = true positive pairs / gold positive pairs,
/// from the contingency counts (linear in the items). B-cubed: per item, precision = |its
/// predicted cluster ∩ its gold cluster| / |its predicted cluster|, recall the same over |its
/// gold cluster|, averaged over items. 0/0 = 1.0 for P and R (an empty input scores 1.0).
///
/// Panics when the two slices differ in length.
pub fn score(gold: &[usize], predicted: &[usize]) -> Scores {
    assert_eq!(
        gold.len(),
        predicted.len(),
        "one gold and one predicted label per item"
    );
    // BTreeMaps: sums in a fixed order give the same floating-point result on every run.
    let mut joint: BTreeMap<(usize, usize), u64> = BTreeMap::new();
    let mut gold_size: BTreeMap<usize, u64> = BTreeMap::new();
    let mut pred_size: BTreeMap<usize, u64> = BTreeMap::new();
    for (&g, &p) in gold.iter().zip(predicted) {
        *joint.entry((g, p)).or_default() += 1;
        *gold_size.entry(g).or_default() += 1;
        *pred_size.entry(p).or_default() += 1;
    }
    let pairs = |n: u64| (n * n.saturating_sub(1) / 2) as f64;
    let tp: f64 = joint.values().map(|&n| pairs(n)).sum();
    let predicted_pairs: f64 = pred_size.values().map(|&n| pairs(n)).sum();
    let gold_pairs: f64 = gold_size.values().map(|&n| pairs(n)).sum();
    let pair_precision = ratio(tp, predicted_pairs);
    let pair_recall = ratio(tp, gold_pairs);

    // Each of the n_gp items in gold g ∩ predicted p has precision n_gp / |p|, recall n_gp / |g|.
    let (mut bp, mut br) = (0.0, 0.0);
    for (&(g, p), &n) in &joint {
        let n = n as f64;
        bp += n * n / pred_size[&p] as f64;
        br += n * n / gold_size[&g] as f64;
    }
    let items = gold.len() as f64;
    let bcubed_precision = ratio(bp, items);
    let bcubed_recall = ratio(br, items);
    Scores {
        pair_precision,
        pair_recall,
        pair_f1: f1(pair_precision, pair_recall),
        bcubed_precision,
        bcubed_recall,
        bcubed_f1: f1(bcubed_precision, bcubed_recall),
    }
}

/// Errors of a clustering on one kind of article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindErrors {
    pub kind: &'static str,
    pub articles: usize,
    /// Articles not in the predicted cluster of their story's root (0 for roots).
    pub missed: usize,
    /// Articles whose predicted cluster holds an article of another gold story.
    pub merged: usize,
}

/// Per kind (in [`all_kinds`] order, kinds without articles left out): how many articles were
/// missed (not with their story's root) and how many wrongly merged (with another story).
pub fn errors_by_kind(articles: &[LabelledArticle], predicted: &[usize]) -> Vec<KindErrors> {
    assert_eq!(
        articles.len(),
        predicted.len(),
        "one predicted label per article"
    );
    let mut root: BTreeMap<usize, usize> = BTreeMap::new();
    for (i, a) in articles.iter().enumerate() {
        if is_root(a.kind) {
            root.insert(a.gold, i);
        }
    }
    let mut golds_in: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for (a, &p) in articles.iter().zip(predicted) {
        golds_in.entry(p).or_default().insert(a.gold);
    }
    all_kinds()
        .map(|kind| {
            let mut e = KindErrors {
                kind,
                articles: 0,
                missed: 0,
                merged: 0,
            };
            for (i, a) in articles.iter().enumerate().filter(|(_, a)| a.kind == kind) {
                e.articles += 1;
                if root
                    .get(&a.gold)
                    .is_some_and(|&r| predicted[r] != predicted[i])
                {
                    e.missed += 1;
                }
                if golds_in[&predicted[i]].len() > 1 {
                    e.merged += 1;
                }
            }
            e
        })
        .filter(|e| e.articles > 0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use bodo::normalise::normalise_text;

    fn page() -> Vec<Article> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../data/seoul-shinmun-kakao-outage-search.txt");
        bodo::pipeline::read_articles(&[path], &Default::default()).expect("shipped page")
    }

    /// The naive definition, over all pairs and items, to check [`score`] against.
    fn naive(gold: &[usize], pred: &[usize]) -> Scores {
        let n = gold.len();
        let (mut tp, mut pp, mut gp) = (0.0, 0.0, 0.0);
        let (mut bp, mut br) = (0.0, 0.0);
        for i in 0..n {
            for j in i + 1..n {
                let (sg, sp) = (gold[i] == gold[j], pred[i] == pred[j]);
                tp += f64::from(u8::from(sg && sp));
                pp += f64::from(u8::from(sp));
                gp += f64::from(u8::from(sg));
            }
            let both = (0..n)
                .filter(|&j| gold[j] == gold[i] && pred[j] == pred[i])
                .count() as f64;
            bp += both / (0..n).filter(|&j| pred[j] == pred[i]).count() as f64;
            br += both / (0..n).filter(|&j| gold[j] == gold[i]).count() as f64;
        }
        let (p, r) = (ratio(tp, pp), ratio(tp, gp));
        let (bp, br) = (ratio(bp, n as f64), ratio(br, n as f64));
        Scores {
            pair_precision: p,
            pair_recall: r,
            pair_f1: f1(p, r),
            bcubed_precision: bp,
            bcubed_recall: br,
            bcubed_f1: f1(bp, br),
        }
    }

    fn close(a: Scores, b: Scores) -> bool {
        let v = |s: Scores| {
            [
                s.pair_precision,
                s.pair_recall,
                s.pair_f1,
                s.bcubed_precision,
                s.bcubed_recall,
                s.bcubed_f1,
            ]
        };
        v(a).iter().zip(v(b)).all(|(x, y)| (x - y).abs() < 1e-12)
    }

    #[test]
    fn perfect_clustering_scores_one_whatever_the_labels() {
        let s = score(&[0, 0, 1, 1, 2], &[7, 7, 3, 3, 9]);
        assert!(close(s, score(&[0], &[0])));
        assert_eq!(s.pair_f1, 1.0);
        assert_eq!(s.bcubed_f1, 1.0);
    }

    #[test]
    fn all_singletons_and_all_merged() {
        // Gold {0,1,2} one story; predicted all apart: no predicted pairs (P = 0/0 = 1), none of
        // the 3 gold pairs found; each item finds 1 of its 3.
        let s = score(&[0, 0, 0], &[0, 1, 2]);
        assert_eq!(
            (s.pair_precision, s.pair_recall, s.pair_f1),
            (1.0, 0.0, 0.0)
        );
        assert_eq!(s.bcubed_precision, 1.0);
        assert!((s.bcubed_recall - 1.0 / 3.0).abs() < 1e-12);
        // Gold {0,1} {2}; predicted all together: 1 of 3 predicted pairs right, B-cubed
        // precision (2/3 + 2/3 + 1/3) / 3 = 5/9, recall 1.
        let s = score(&[0, 0, 1], &[5, 5, 5]);
        assert!((s.pair_precision - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(s.pair_recall, 1.0);
        assert!((s.bcubed_precision - 5.0 / 9.0).abs() < 1e-12);
        assert_eq!(s.bcubed_recall, 1.0);
        assert!((s.pair_f1 - 0.5).abs() < 1e-12);
    }

    #[test]
    fn one_item_on_the_wrong_side() {
        // Gold {a,b,c} {d,e}; predicted {a,b} {c,d,e}. Pairs: TP ab + de = 2, predicted 1 + 3,
        // gold 3 + 1: P = R = 1/2. B-cubed precision (1 + 1 + 1/3 + 2/3 + 2/3) / 5 = 11/15,
        // recall (2/3 + 2/3 + 1/3 + 1 + 1) / 5 = 11/15.
        let s = score(&[0, 0, 0, 1, 1], &[0, 0, 1, 1, 1]);
        assert_eq!(
            (s.pair_precision, s.pair_recall, s.pair_f1),
            (0.5, 0.5, 0.5)
        );
        assert!((s.bcubed_precision - 11.0 / 15.0).abs() < 1e-12);
        assert!((s.bcubed_recall - 11.0 / 15.0).abs() < 1e-12);
    }

    #[test]
    fn empty_input_scores_one() {
        let s = score(&[], &[]);
        assert_eq!((s.pair_f1, s.bcubed_f1), (1.0, 1.0));
    }

    #[test]
    fn score_equals_the_naive_definition_on_random_partitions() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..200 {
            let n = rng.random_range(0..30);
            let k = rng.random_range(1..8);
            let gold: Vec<usize> = (0..n).map(|_| rng.random_range(0..k)).collect();
            let pred: Vec<usize> = (0..n).map(|_| rng.random_range(0..k)).collect();
            assert!(
                close(score(&gold, &pred), naive(&gold, &pred)),
                "{gold:?} {pred:?}"
            );
        }
    }

    #[test]
    fn errors_by_kind_counts_missed_and_merged() {
        let a = |gold, kind| LabelledArticle {
            title: String::new(),
            body: String::new(),
            outlet: String::new(),
            date: String::new(),
            gold,
            kind,
        };
        let set = [
            a(0, "original"),
            a(0, "reordered"),
            a(0, "whitespace"),
            a(1, "hard-negative-template"),
        ];
        // The whitespace copy went apart, the hard negative joined story 0's root.
        let e = errors_by_kind(&set, &[0, 0, 2, 0]);
        let get = |k| *e.iter().find(|e| e.kind == k).unwrap();
        assert_eq!((get("original").missed, get("original").merged), (0, 1));
        assert_eq!((get("reordered").missed, get("reordered").merged), (0, 1));
        assert_eq!((get("whitespace").missed, get("whitespace").merged), (1, 0));
        let hn = get("hard-negative-template");
        assert_eq!((hn.articles, hn.missed, hn.merged), (1, 0, 1));
        assert_eq!(e.len(), 4);
    }

    #[test]
    fn sentences_split_outside_quotes_and_lose_nothing() {
        let p = "“좋던데요. 그래서 왔어요.” 최씨는 말했다. 92.8%다! 끝";
        let s = split_sentences(p);
        assert_eq!(
            s,
            [
                "“좋던데요. 그래서 왔어요.” 최씨는 말했다.",
                "92.8%다!",
                "끝"
            ]
        );
        assert_eq!(s.join(" "), p);
    }

    #[test]
    fn number_formats_change_both_ways() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut seen = BTreeSet::new();
        for _ in 0..20 {
            seen.insert(number_format(
                &mut rng,
                "3천억원과 3000억 원, 15일, 38%, 7퍼센트",
            ));
        }
        assert!(
            seen.contains("3000억 원과 3천억원, 15 일, 38퍼센트, 7%"),
            "{seen:?}"
        );
    }

    #[test]
    fn every_template_is_stripped_by_normalise() {
        // The boilerplate must be what `normalise` removes, or copies that differ only in it
        // would not be duplicates after normalisation (the related box excepted, by design).
        let body = "카카오가 17일 서비스를 복구했다고 밝혔다. 일부 기능은 아직 점검 중이다.\n회사는 보상안을 곧 내놓겠다고 했다.";
        let want = normalise_text("", body).body;
        for outlet in 0..OUTLETS.len() {
            for lead in 0..5 {
                for tail in 0..6 {
                    for credit in [false, true] {
                        let t = Template {
                            outlet: OUTLETS[outlet].0,
                            reporter: REPORTERS[outlet % REPORTERS.len()].0,
                            email: format!("{}@{}", REPORTERS[outlet % 10].1, OUTLETS[outlet].1),
                            city: CITIES[outlet % CITIES.len()],
                            lead,
                            tail,
                            credit,
                            related: Vec::new(),
                        };
                        let wrapped = t.wrap(body);
                        assert_eq!(normalise_text("", &wrapped).body, want, "{wrapped}");
                    }
                }
            }
        }
    }

    #[test]
    fn page_groups_found_by_title() {
        let seeds = page();
        assert_eq!(seeds.len(), 20);
        let gold = seed_gold(&seeds);
        let same = |a: usize, b: usize| gold[a - 1] == gold[b - 1];
        assert!(same(8, 9) && same(9, 20) && same(11, 16) && same(12, 15) && same(10, 19));
        let distinct: BTreeSet<usize> = gold.iter().copied().collect();
        assert_eq!(distinct.len(), 15);
    }

    #[test]
    fn generate_is_deterministic_and_labelled() {
        let seeds = page();
        let a = generate(&seeds, 42, 120);
        assert_eq!(a, generate(&seeds, 42, 120));
        assert_ne!(a, generate(&seeds, 43, 120));
        let golds: BTreeSet<usize> = a.iter().map(|x| x.gold).collect();
        assert_eq!(golds.len(), 120);
        // Exactly one root per story.
        for g in golds {
            let roots = a.iter().filter(|x| x.gold == g && is_root(x.kind)).count();
            assert_eq!(roots, 1, "story {g}");
        }
        let mut json = Vec::new();
        write_jsonl(&a, &mut json).unwrap();
        let first = std::str::from_utf8(&json).unwrap().lines().next().unwrap();
        let v: serde_json::Value = serde_json::from_str(first).unwrap();
        assert_eq!(v["id"], "dup-000001");
        assert_eq!(v["gold"], a[0].gold);
    }

    /// Containment of 5-character shingles (whitespace removed) of two normalised bodies: a
    /// plain reference, independent of the dedup stage, for checking the labels.
    fn containment(a: &[u64], b: &[u64]) -> f64 {
        let (mut i, mut j, mut common) = (0, 0, 0usize);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => (common, i, j) = (common + 1, i + 1, j + 1),
            }
        }
        common as f64 / a.len().min(b.len()).max(1) as f64
    }

    fn shingle_set(text: &str) -> Vec<u64> {
        use std::hash::{Hash, Hasher};
        let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
        let mut set: Vec<u64> = chars
            .windows(5)
            .map(|w| {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                w.hash(&mut h);
                h.finish()
            })
            .collect();
        set.sort_unstable();
        set.dedup();
        set
    }

    #[test]
    fn gold_labels_agree_with_the_text() {
        // Different stories must really differ, and copies stay close to their root, measured
        // by plain containment on the normalised bodies. This guards the labels, not dedup.
        let set = generate(&page(), 42, 360);
        let sets: Vec<Vec<u64>> = set
            .iter()
            .map(|a| shingle_set(&normalise_text(&a.title, &a.body).body))
            .collect();
        // Worst (highest) containment between different stories, follow-ups apart; worst
        // (lowest) between a copy and its root.
        let (mut negative, mut follow_up, mut copy) = (0.0f64, 0.0f64, 1.0f64);
        let root: BTreeMap<usize, usize> = (0..set.len())
            .filter(|&i| is_root(set[i].kind))
            .map(|i| (set[i].gold, i))
            .collect();
        for i in 0..set.len() {
            for j in i + 1..set.len() {
                if set[i].gold == set[j].gold {
                    continue;
                }
                let c = containment(&sets[i], &sets[j]);
                if set[i].kind == "hard-negative-follow-up"
                    || set[j].kind == "hard-negative-follow-up"
                {
                    follow_up = follow_up.max(c);
                } else {
                    negative = negative.max(c);
                }
            }
            let r = root[&set[i].gold];
            if r != i && set[i].kind != "page-copy" {
                copy = copy.min(containment(&sets[i], &sets[r]));
            }
        }
        println!(
            "worst containment: negative {negative:.3}, follow-up {follow_up:.3}, copy {copy:.3}"
        );
        // Measured with seed 42: 0.381, 0.381, 0.602.
        assert!(negative < 0.42, "{negative}");
        assert!(follow_up < 0.42, "{follow_up}");
        assert!(copy > 0.55, "{copy}");
    }
}
