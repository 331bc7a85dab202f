//! Invented daily reports for the hard labelled set.
//!
//! Takes a ChaCha8 stream, a series, its running numbers and a date; gives one report's headline
//! and numbers (as a [`Lead`]) of one of [`SERIES`]: case counts, the market close, fuel prices,
//! fine dust, exports, heat illness. Each sentence is a fixed frame in one of two wordings with
//! the day's figures; the series' background paragraph and the day's own news are added by the
//! caller. Invented for testing: the agencies are real names, the figures are made up.
//!
//! Guarantees: the output is a function of the stream and the arguments; counts print as
//! Korean reports print them ([`man`], [`comma`]).

use std::collections::BTreeMap;

use rand::seq::IndexedRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::leads::{particle, pick, Lead, SLOT};

/// A series of daily (or weekly) reports.
pub struct Series {
    pub name: &'static str,
    /// Days between two reports.
    pub step: u32,
    /// The domain of the day's own news that each report carries.
    pub domain: usize,
    /// The background paragraph every report of the series repeats.
    pub background: &'static [&'static str],
}

pub const SERIES: [Series; 6] = [
    Series {
        name: "cases",
        step: 1,
        domain: 7,
        background: &[
            "방역 당국은 겨울철 실내 활동이 늘면서 재유행 규모가 커질 수 있다고 보고 있다.",
            "당국은 고령층에게 개량 백신 추가 접종을 거듭 권고했다.",
        ],
    },
    Series {
        name: "market",
        step: 1,
        domain: 4,
        background: &["시장에서는 미국의 통화 정책과 환율 흐름이 당분간 증시의 최대 변수가 될 것이라는 분석이 나온다."],
    },
    Series {
        name: "fuel",
        step: 7,
        domain: 15,
        background: &["국제 유가 변동은 2∼3주가량 시차를 두고 국내 주유소 판매가격에 반영된다."],
    },
    Series {
        name: "dust",
        step: 1,
        domain: 2,
        background: &["환경 당국은 농도가 높은 날에는 외출을 줄이고 보건용 마스크를 써 달라고 당부했다."],
    },
    Series {
        name: "exports",
        step: 10,
        domain: 9,
        background: &["정부는 반도체 업황 회복 속도가 올해 수출 실적을 가를 것으로 보고 있다."],
    },
    Series {
        name: "heat",
        step: 1,
        domain: 0,
        background: &["당국은 한낮에는 야외 작업과 운동을 삼가고 물을 자주 마시라고 권고했다."],
    },
];

const SIDO: [&str; 17] = [
    "서울", "경기", "인천", "부산", "대구", "광주", "대전", "울산", "세종", "강원", "충북", "충남",
    "전북", "전남", "경북", "경남", "제주",
];
const EXPORT_ITEMS: [&str; 8] = [
    "반도체",
    "자동차",
    "석유제품",
    "선박",
    "무선통신기기",
    "철강",
    "컴퓨터 주변기기",
    "가전",
];

/// `12345` → `1만2345`, `20000` → `2만`, `345` → `345` (how Korean reports print counts).
pub fn man(n: i64) -> String {
    let (hi, lo) = (n / 10_000, n % 10_000);
    match (hi, lo) {
        (0, _) => lo.to_string(),
        (_, 0) => format!("{hi}만"),
        _ => format!("{hi}만{lo}"),
    }
}

/// `2345` → `2,345`.
pub fn comma(n: i64) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// The running numbers of a series.
#[derive(Debug, Clone, Default)]
pub struct Walk {
    x: i64,
    y: i64,
    z: i64,
}

/// Three distinct regions, in random order.
fn regions(rng: &mut ChaCha8Rng) -> [&'static str; 3] {
    let picked: Vec<&str> = SIDO.choose_multiple(rng, 3).copied().collect();
    [picked[0], picked[1], picked[2]]
}

/// Fills `{key}`s from `values`.
fn fill_values(frame: &str, values: &BTreeMap<&str, String>) -> String {
    SLOT.replace_all(frame, |c: &regex::Captures| values[&c[1]].clone())
        .into_owned()
}

/// One report of series `series` for the date `(month, day)`: its headline and its numbers as
/// sentences, each sentence in one of two wordings (outlets vary the frame a little from day
/// to day). The series' background and the day's own news are added by the caller.
pub fn daily(rng: &mut ChaCha8Rng, series: usize, walk: &mut Walk, mo: u32, dm: u32) -> Lead {
    let mut v: BTreeMap<&str, String> = BTreeMap::new();
    v.insert("mo", mo.to_string());
    v.insert("dm", dm.to_string());
    let sign = |d: i64, up: &str, down: &str| {
        if d >= 0 {
            up.to_string()
        } else {
            down.to_string()
        }
    };
    let frames: (&[&str], &[&[&str]]) = match SERIES[series].name {
        "cases" => {
            if walk.x == 0 {
                walk.x = rng.random_range(20_000..60_000);
                walk.z = rng.random_range(20_000..30_000);
            }
            let next = walk.x * rng.random_range(850..1180) / 1000;
            let dx = next - walk.x;
            walk.x = next;
            let death = rng.random_range(10..90);
            walk.z += death;
            let [r1, r2, r3] = regions(rng);
            v.insert("x", man(next));
            v.insert("dx", man(dx.abs()));
            v.insert("verb", sign(dx, "늘었다", "줄었다"));
            v.insert("short", sign(dx, "증가", "감소"));
            v.insert("icu", rng.random_range(150..600).to_string());
            v.insert("death", death.to_string());
            v.insert("cum", man(walk.z));
            for (k, r, share) in [("r1", r1, 22..30), ("r2", r2, 12..20), ("r3", r3, 4..10)] {
                v.insert(k, r.to_string());
                let n = next * rng.random_range(share) / 100;
                v.insert(
                    ["a", "b", "c"][k.as_bytes()[1] as usize - b'1' as usize],
                    man(n),
                );
            }
            (
                &["신규 확진 {x}명…전날보다 {dx}명 {short}", "{dm}일 확진자 {x}명, 하루 새 {dx}명 {short}"],
                &[
                    &[
                        "질병관리청은 {dm}일 0시 기준 신규 확진자가 {x}명으로 전날보다 {dx}명 {verb}고 밝혔다.",
                        "{dm}일 0시 기준 하루 신규 확진자 수는 {x}명으로 하루 전보다 {dx}명 {verb}.",
                    ],
                    &[
                        "위중증 환자는 {icu}명, 사망자는 {death}명으로 누적 사망자는 {cum}명이 됐다.",
                        "위중증 환자 {icu}명에 하루 사망자 {death}명이 더해져 누적 사망자가 {cum}명에 이르렀다.",
                    ],
                    &[
                        "지역별로는 {r1} {a}명, {r2} {b}명, {r3} {c}명 순으로 많았다.",
                        "{r1}에서 {a}명이 나와 가장 많았고 {r2} {b}명, {r3} {c}명이 뒤를 이었다.",
                    ],
                ],
            )
        }
        "market" => {
            if walk.x == 0 {
                walk.x = rng.random_range(220_000..280_000);
                walk.y = rng.random_range(70_000..90_000);
            }
            let dx = walk.x * rng.random_range(-250..250) / 10_000;
            let dy = walk.y * rng.random_range(-300..300) / 10_000;
            walk.x += dx;
            walk.y += dy;
            let pts = |d: i64| format!("{}.{:02}", d.abs() / 100, d.abs() % 100);
            let idx = |x: i64| format!("{}.{:02}", comma(x / 100), x % 100);
            let pct = |d: i64, x: i64| {
                let bp = d.abs() * 10_000 / (x - d).max(1);
                format!("{}.{:02}", bp / 100, bp % 100)
            };
            v.insert("pts", pts(dx));
            v.insert("pct", pct(dx, walk.x));
            v.insert("idx", idx(walk.x));
            v.insert("dir", sign(dx, "오른", "내린"));
            v.insert("dir2", sign(dx, "상승", "하락"));
            v.insert("pts2", pts(dy));
            v.insert("pct2", pct(dy, walk.y));
            v.insert("idx2", idx(walk.y));
            v.insert("dirk", sign(dy, "오른", "내린"));
            v.insert("dirk2", sign(dy, "상승", "하락"));
            v.insert("a", comma(rng.random_range(100..9_000)));
            v.insert("b", comma(rng.random_range(100..9_000)));
            let trade = |rng: &mut ChaCha8Rng| {
                if rng.random_bool(0.5) {
                    "매수"
                } else {
                    "매도"
                }
            };
            v.insert("t1", trade(rng).to_string());
            v.insert("t2", trade(rng).to_string());
            (
                &["코스피 {pts}포인트 {dir} {idx} 마감", "코스피 {pct}% {dir2}…{idx}로 거래 마쳐"],
                &[
                    &[
                        "{dm}일 코스피는 전 거래일보다 {pts}포인트({pct}%) {dir} {idx}에 장을 마쳤다.",
                        "이날 유가증권시장에서 코스피는 {pts}포인트 {dir} {idx}로 거래를 끝냈다.",
                    ],
                    &[
                        "코스닥지수는 {pts2}포인트({pct2}%) {dirk} {idx2}로 마감했다.",
                        "코스닥지수도 {idx2}로 전 거래일 대비 {pct2}% {dirk2}했다.",
                    ],
                    &[
                        "유가증권시장에서 외국인은 {a}억원어치를 순{t1}했고 기관은 {b}억원어치를 순{t2}했다.",
                        "수급 면에서는 외국인이 {a}억원, 기관이 {b}억원어치를 각각 순{t1}·순{t2}했다.",
                    ],
                ],
            )
        }
        "fuel" => {
            if walk.x == 0 {
                walk.x = rng.random_range(1_550..2_100);
                walk.y = walk.x - rng.random_range(-80..150);
            }
            let (dx, dy) = (rng.random_range(-40..40), rng.random_range(-40..40));
            walk.x += dx;
            walk.y += dy;
            let [r1, r2, _] = regions(rng);
            v.insert(
                "week",
                ["첫", "둘", "셋", "넷", "다섯"][((dm - 1) / 7) as usize].to_string(),
            );
            v.insert("x", comma(walk.x));
            v.insert("dx", dx.abs().to_string());
            v.insert("v", sign(dx, "올랐다", "내렸다"));
            v.insert("v2", sign(dx, "올라", "내려"));
            v.insert("y", comma(walk.y));
            v.insert("dy", dy.abs().to_string());
            v.insert("vy", sign(dy, "올랐다", "내렸다"));
            v.insert("r1", r1.to_string());
            v.insert("r1eun", format!("{r1}{}", particle(r1, "은")));
            v.insert("r2", r2.to_string());
            v.insert("r2i", format!("{r2}{}", particle(r2, "이")));
            v.insert("r2eun", format!("{r2}{}", particle(r2, "은")));
            v.insert("hi", comma(walk.x + rng.random_range(40..120)));
            v.insert("lo", comma(walk.x - rng.random_range(20..60)));
            (
                &["휘발유 ℓ당 {x}원…전주보다 {dx}원 {v2}", "{mo}월 {week}째 주 휘발유 {x}원, 경유 {y}원"],
                &[
                    &[
                        "{mo}월 {week}째 주 전국 주유소 휘발유 평균 판매가격은 ℓ당 {x}원으로 전주보다 {dx}원 {v}.",
                        "이번 주 휘발유 가격은 전국 평균 ℓ당 {x}원을 기록해 한 주 전보다 {dx}원 {v}.",
                    ],
                    &["경유 평균 판매가격은 ℓ당 {y}원으로 전주보다 {dy}원 {vy}.", "경유는 ℓ당 {y}원으로 {dy}원 {vy}."],
                    &[
                        "지역별로는 {r1}의 휘발유 가격이 ℓ당 {hi}원으로 가장 높았고 {r2i} {lo}원으로 가장 낮았다.",
                        "가장 비싼 {r1eun} {hi}원, 가장 싼 {r2eun} {lo}원이었다.",
                    ],
                ],
            )
        }
        "dust" => {
            let x: i64 = rng.random_range(8..110);
            let y = x + rng.random_range(5..40);
            let grade = |v: i64| match v {
                ..=15 => "좋음",
                16..=35 => "보통",
                36..=75 => "나쁨",
                _ => "매우 나쁨",
            };
            let picked: Vec<&str> = SIDO.choose_multiple(rng, 5).copied().collect();
            for (k, r) in ["r1", "r2", "r3", "r4", "r5"].into_iter().zip(&picked) {
                v.insert(k, r.to_string());
            }
            v.insert("r1i", format!("{}{}", picked[0], particle(picked[0], "이")));
            v.insert("x", x.to_string());
            v.insert("y", y.to_string());
            v.insert("z", (y + rng.random_range(3..30)).to_string());
            v.insert("w", rng.random_range(3..x.max(4)).to_string());
            v.insert("g1", grade(x).to_string());
            v.insert("g2", grade(y).to_string());
            v.insert("h", rng.random_range(7..=11).to_string());
            v.insert("k", rng.random_range(3..=9).to_string());
            (
                &["{r1} 초미세먼지 ㎥당 {x}㎍…{k}개 시도 ‘{g2}’", "{dm}일 {r1} 미세먼지 ‘{g1}’…오후 {y}㎍까지"],
                &[
                    &[
                        "{dm}일 오전 {h}시 기준 {r1}의 초미세먼지(PM2.5) 평균 농도는 ㎥당 {x}㎍으로 ‘{g1}’ 수준을 보였다.",
                        "{r1i} 오전 {h}시 현재 초미세먼지 농도 ㎥당 {x}㎍을 기록했다.",
                    ],
                    &[
                        "국립환경과학원은 {r2}·{r3} 등 {k}개 시도의 농도가 오후 한때 ㎥당 {y}㎍까지 오를 수 있다고 예보했다.",
                        "오후에는 {r2}·{r3} 등 {k}개 시도에서 ‘{g2}’ 단계가 예상된다.",
                    ],
                    &[
                        "시간당 최고 농도는 {r4} {z}㎍, 최저는 {r5} {w}㎍이었다.",
                        "지역별 최고치는 {r4}의 {z}㎍, 최저치는 {r5}의 {w}㎍으로 나타났다.",
                    ],
                ],
            )
        }
        "exports" => {
            let x: i64 = rng.random_range(150..450);
            let y = x + rng.random_range(-40..40);
            let grew = rng.random_bool(0.5);
            let items: Vec<&str> = EXPORT_ITEMS.choose_multiple(rng, 2).copied().collect();
            v.insert("x", x.to_string());
            v.insert("y", y.to_string());
            v.insert("z", (x - y).abs().to_string());
            v.insert("bal", (if x >= y { "흑자" } else { "적자" }).to_string());
            v.insert(
                "p",
                format!("{}.{}", rng.random_range(0..25), rng.random_range(0..10)),
            );
            v.insert("verb", (if grew { "늘었다" } else { "줄었다" }).to_string());
            v.insert("short", (if grew { "증가" } else { "감소" }).to_string());
            v.insert("i1", items[0].to_string());
            v.insert("i2", items[1].to_string());
            v.insert("p1", rng.random_range(1..40).to_string());
            v.insert("p2", rng.random_range(1..40).to_string());
            (
                &[
                    "{mo}월 1∼{dm}일 수출 {p}% {short}…무역수지 {z}억달러 {bal}",
                    "{mo}월 {dm}일까지 수출 {x}억달러…{p}% {short}",
                ],
                &[
                    &[
                        "관세청에 따르면 {mo}월 1일부터 {dm}일까지 수출액은 {x}억달러로 지난해 같은 기간보다 {p}% {verb}.",
                        "이달 1∼{dm}일 수출은 {x}억달러로 1년 전보다 {p}% {verb}고 관세청이 밝혔다.",
                    ],
                    &[
                        "같은 기간 수입액은 {y}억달러로 무역수지는 {z}억달러 {bal}를 기록했다.",
                        "수입은 {y}억달러여서 {z}억달러의 무역 {bal}가 났다.",
                    ],
                    &[
                        "품목별로는 {i1} 수출이 {p1}%, {i2} 수출이 {p2}% 각각 {short}했다.",
                        "{i1}({p1}%), {i2}({p2}%) 수출이 {short}세를 보였다.",
                    ],
                ],
            )
        }
        _ => {
            if walk.x == 0 {
                walk.x = rng.random_range(300..900);
                walk.z = rng.random_range(1..6);
            }
            let dx = rng.random_range(20..160);
            walk.x += dx;
            walk.z += rng.random_range(0..2);
            v.insert("x", man(walk.x));
            v.insert("dx", dx.to_string());
            v.insert("death", walk.z.to_string());
            v.insert("p", rng.random_range(20..60).to_string());
            v.insert("age", (rng.random_range(2..=8) * 10).to_string());
            v.insert(
                "where",
                pick(rng, &["실외 작업장", "논밭", "길가", "운동장", "집 안"]),
            );
            (
                &["온열질환자 누적 {x}명…하루 새 {dx}명 늘어", "{dm}일까지 온열질환자 {x}명…사망 {death}명"],
                &[
                    &[
                        "질병관리청에 따르면 올해 온열질환 응급실 감시체계를 가동한 이후 {dm}일까지 신고된 온열질환자는 모두 {x}명으로 집계됐다.",
                        "{dm}일까지 누적 온열질환자는 {x}명으로 늘었다.",
                    ],
                    &[
                        "전날 하루에만 {dx}명이 응급실을 찾았으며 추정 사망자는 누적 {death}명이다.",
                        "하루 새 {dx}명이 더해졌고 추정 사망자는 모두 {death}명이 됐다.",
                    ],
                    &[
                        "환자의 {p}%는 {where}에서 발생했고 연령별로는 {age}대가 가장 많았다.",
                        "발생 장소별로는 {where} 비중이 {p}%로 가장 컸고 {age}대 환자가 많았다.",
                    ],
                ],
            )
        }
    };
    let (headlines, sentences) = frames;
    let headline = fill_values(&pick(rng, headlines), &v);
    let sentences = sentences
        .iter()
        .map(|alternatives| fill_values(&pick(rng, alternatives), &v))
        .collect();
    Lead {
        headline,
        sentences,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn numbers_print_as_in_reports() {
        assert_eq!(man(12_345), "1만2345");
        assert_eq!(man(20_000), "2만");
        assert_eq!(man(345), "345");
        assert_eq!(comma(2_345), "2,345");
        assert_eq!(comma(999), "999");
        assert_eq!(comma(1_234_567), "1,234,567");
    }

    #[test]
    fn every_series_fills() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut walk = Walk::default();
        for (s, series) in SERIES.iter().enumerate() {
            for dm in 1..=28 {
                let r = daily(&mut rng, s, &mut walk, 5, dm);
                assert!(r.sentences.len() >= 2, "{}", series.name);
                assert!(!r.headline.contains(['{', '}']), "{}", r.headline);
            }
        }
    }
}
