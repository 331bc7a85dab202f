//! Golden morphology: ko-dic's analysis of real news sentences, one line per morpheme
//! (`surface\tstart..end\tPOS`), and the keyword nouns bodo takes from them.
//!
//! The sentences are from the shipped search page (data/). A change in lindera, ko-dic or the
//! noun rule shows up here as a snapshot diff. Snapshots are regenerated, never hand-edited:
//!
//!     INSTA_UPDATE=always cargo test --release --test golden_morphology   # then review the diff
//!
//! (or `cargo insta review` with cargo-insta installed).

use bodo::morph::Morphology;
use bodo::record::Field;

const SENTENCES: [&str; 8] = [
    "지난 15일 SK C&C 판교 데이터센터 화재로 전국민 메신저인 카톡 서비스가 먹통이 되면서 디지털 기기에서 해방되는 ‘디지털 디톡스’가 주목받고 있다.",
    "과학기술정보통신부는 17일 카카오 ‘먹통’을 악용한 해킹 메일과 스미싱 문자 유포 등 사이버 공격에 대한 사용자의 주의를 당부했다.",
    "과기정통부와 한국인터넷진흥원(KISA)는 이날 카카오에서 배포하는 카카오톡 설치 파일로 위장해 악성 프로그램 설치를 유도하는 해킹 메일을 확인했다.",
    "국회 과학기술정보방송통신위원회는 ‘카카오 서비스 먹통 사태’와 관련해 김범수 카카오 의장을 오는 24일 과학기술정보통신부 종합국정감사 증인으로 채택했다.",
    "직장인 최모(28)씨는 지난 주말이 벌써부터 그립다.",
    "과기정통부 “판교데이터센터 95% 복구… 카카오페이 등 일부 정상화”",
    "민관협력 주문…‘카톡 먹통 사태’에 안보리스크 우려한 尹",
    "자영업자 최용호(34)씨는 “일상생활에 지장이 있을까 걱정돼 카카오T 대신 우티와 티맵을 깔고, 텔레그램을 추가로 설치했다”고 말했다.",
];

#[test]
fn golden_morphemes() {
    let morphology = Morphology::load().unwrap();
    let mut worker = morphology.worker();
    let mut lines = Vec::new();
    for sentence in SENTENCES {
        lines.push(format!("# {sentence}"));
        for m in worker.morphemes(sentence).unwrap() {
            assert_eq!(
                &sentence[m.start..m.end],
                m.surface,
                "offsets slice the text"
            );
            lines.push(format!(
                "{}\t{}..{}\t{}",
                m.surface,
                m.start,
                m.end,
                m.tag()
            ));
        }
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn golden_nouns() {
    let morphology = Morphology::load().unwrap();
    let mut worker = morphology.worker();
    let mut lines = Vec::new();
    for sentence in SENTENCES {
        let mut nouns = Vec::new();
        worker.nouns(sentence, Field::Body, &mut nouns).unwrap();
        for n in &nouns {
            assert_eq!(&sentence[n.start..n.end], n.text, "offsets slice the text");
        }
        lines.push(
            nouns
                .iter()
                .map(|n| format!("{}/{}", n.text, n.pos))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn compounds_join_inside_an_eojeol_only() {
    let morphology = Morphology::load().unwrap();
    let mut worker = morphology.worker();
    let mut nouns = |text: &str| {
        let mut out = Vec::new();
        worker.nouns(text, Field::Title, &mut out).unwrap();
        out.into_iter().map(|n| n.text).collect::<Vec<_>>()
    };
    assert_eq!(nouns("판교데이터센터 화재"), ["판교데이터센터", "화재"]);
    assert_eq!(
        nouns("판교 데이터센터 화재"),
        ["판교", "데이터센터", "화재"]
    );
    assert_eq!(nouns("과학기술정보통신부는"), ["과학기술정보통신부"]);
    // A particle or a suffix ends the noun; numbers and bound nouns are not keywords.
    assert_eq!(nouns("카카오가 24일"), ["카카오"]);
    // Derivational suffixes stay, inflecting ones end the keyword; & joins foreign letters.
    assert_eq!(nouns("가능성이"), ["가능성"]);
    assert_eq!(nouns("이용자들은"), ["이용자"]);
    assert_eq!(nouns("SK C&C는"), ["SK", "C&C"]);
    assert_eq!(nouns("A& 카카오"), ["A", "카카오"]);
}
