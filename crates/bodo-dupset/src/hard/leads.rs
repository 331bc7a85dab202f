//! Invented leads for the hard labelled set: a headline and two lead sentences of a breaking
//! story.
//!
//! Takes a ChaCha8 stream and a domain; gives a [`Lead`] of one of [`DOMAINS`] (fire, traffic,
//! weather, earthquake, company, court, assembly, outbreak, school, transport, sports, science,
//! festival, police, sea, labour), from sentence frames whose `{slots}` are filled from lists
//! and numbers; second sentences come from the domain or from [`GENERIC`] ones. The frames are
//! shared, so two leads of one domain can look alike: the caller keeps only leads far enough
//! from every earlier one.
//!
//! Everything here is invented for testing: the places and institutions are real names, but the
//! events, people, companies, teams and numbers are made up, not reports of real events.
//!
//! Guarantees: the output is a function of the stream only; a headline and its sentences name
//! the same place, person and numbers; particles after a filled slot (`{org:은}`) agree with its
//! last syllable.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use rand::seq::IndexedRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use regex::Regex;

/// A domain of breaking news: its slot lists and sentence frames.
pub struct Domain {
    slots: &'static [(&'static str, &'static [&'static str])],
    headlines: &'static [&'static str],
    first: &'static [&'static str],
    second: &'static [&'static str],
}

/// A headline and the lead sentences of a story.
#[derive(Debug, Clone)]
pub struct Lead {
    pub headline: String,
    pub sentences: Vec<String>,
}

pub const DOMAINS: [Domain; 16] = [
    // fire
    Domain {
        slots: &[(
            "bld",
            &[
                "물류창고",
                "전통시장",
                "아파트",
                "자동차 부품 공장",
                "요양병원",
                "상가 건물",
                "목재 가공 공장",
                "폐기물 처리 시설",
                "단독주택",
                "숙박업소",
                "음식점",
                "비닐하우스 단지",
            ],
        )],
        headlines: &[
            "{place} {bld} 화재…{n1}명 병원 이송",
            "{place}서 {bld} 불…소방 대응 {k}단계",
        ],
        first: &[
            "{d}일 오후 {h}시 {mi}분께 {place} {town}의 한 {bld}에서 불이 났다.",
            "{place} {town}에 있는 {bld}에서 {d}일 새벽 큰불이 나 소방 당국이 대응 {k}단계를 발령했다.",
            "{d}일 오전 {place}의 {bld}에서 시작된 불길이 강한 바람을 타고 주변 {n1b}개 동으로 번졌다.",
        ],
        second: &[
            "이 불로 {n1}명이 연기를 마셔 병원으로 옮겨졌으며 {n2}명은 스스로 대피했다.",
            "소방 당국은 장비 {n2}대와 인력 {n3}명을 동원해 {n1}시간여 만에 큰 불길을 잡았다.",
            "불은 건물 {n3}㎡를 태워 소방서 추산 {n2b}억원의 재산 피해를 낸 것으로 집계됐다.",
        ],
    },
    // traffic
    Domain {
        slots: &[
            (
                "road",
                &[
                    "경부고속도로",
                    "중부내륙고속도로",
                    "서해안고속도로",
                    "영동고속도로",
                    "남해고속도로",
                    "호남고속도로",
                    "수도권제1순환고속도로",
                    "국도 7호선",
                ],
            ),
            (
                "dir",
                &[
                    "서울 방향",
                    "부산 방향",
                    "인천 방향",
                    "강릉 방향",
                    "목포 방향",
                    "대전 방향",
                ],
            ),
            (
                "veh",
                &[
                    "화물차",
                    "관광버스",
                    "승용차",
                    "레미콘 트럭",
                    "유조차",
                    "시외버스",
                    "덤프트럭",
                    "견인차",
                ],
            ),
        ],
        headlines: &[
            "{road} {dir} 차량 {n1}대 연쇄 추돌",
            "{road}서 {veh} 사고…{n1}명 부상",
        ],
        first: &[
            "{d}일 오전 {h}시 {mi}분께 {road} {dir} {place} 구간에서 {veh} 등 차량 {n1}대가 잇따라 부딪혔다.",
            "{place} {town} 인근 {road}에서 {veh} 한 대가 중앙분리대를 들이받고 멈춰 섰다.",
            "{d}일 밤 {road} {dir} 터널 안에서 {veh} 한 대가 앞서 가던 차량을 들이받는 사고가 났다.",
        ],
        second: &[
            "이 사고로 운전자 등 {n1}명이 다쳐 인근 병원에서 치료를 받고 있으며 생명에는 지장이 없는 것으로 알려졌다.",
            "사고 수습에 {n1b}시간가량이 걸리면서 {dir} 차로 {n2}㎞ 구간이 한때 극심한 정체를 빚었다.",
            "경찰은 {veh} 운전자인 {agegrp}대 {person}씨가 졸음운전을 했을 가능성을 두고 사고 경위를 조사하고 있다.",
        ],
    },
    // weather
    Domain {
        slots: &[("wx", &["호우", "대설", "강풍", "한파", "폭염", "건조"])],
        headlines: &[
            "{region} {wx} 경보…{n2}곳 통제",
            "{region} {wx} 특보 확대…피해 신고 잇따라",
        ],
        first: &[
            "기상청은 {d}일 오후 {h}시를 기해 {region} 일부 지역에 {wx} 경보를 발령했다.",
            "{region}에 내려진 {wx} 주의보가 {d}일 새벽 경보로 강화되면서 주민 불편이 커지고 있다.",
            "{wx} 특보가 내려진 {region}에서는 {d}일 하루 동안 {n2b}건의 피해 신고가 접수됐다.",
        ],
        second: &[
            "해당 지방자치단체는 하천 산책로와 둔치 주차장 {n2}곳의 출입을 통제하고 비상 근무에 들어갔다.",
            "재난 당국은 상황실 근무 인원을 {n3}명으로 늘리고 취약 시설 {n2}곳을 집중 점검했다.",
            "당국은 해당 지역 {n3}가구에 안전 안내 문자를 보내고 비상 대응 단계를 {k}단계로 올렸다.",
        ],
    },
    // earthquake
    Domain {
        slots: &[(
            "dirw",
            &["북쪽", "남쪽", "동쪽", "서쪽", "북북동쪽", "남서쪽", "동남동쪽"],
        )],
        headlines: &[
            "{place} {dirw} {km}㎞ 지역 규모 {mag} 지진",
            "{place} 인근서 규모 {mag} 지진…피해 신고 없어",
        ],
        first: &[
            "기상청은 {d}일 오후 {h}시 {mi}분께 {place} {dirw} {km}㎞ 지역에서 규모 {mag}의 지진이 발생했다고 밝혔다.",
            "{d}일 새벽 {place} 인근 해역에서 규모 {mag}의 지진이 일어나 주민들이 잠에서 깨는 소동이 빚어졌다.",
            "{place} 일대에서 {d}일 규모 {mag}의 지진이 관측돼 흔들림을 느꼈다는 신고가 {n2}건 들어왔다.",
        ],
        second: &[
            "진원의 깊이는 {km2}㎞로 추정되며 이 지진으로 인한 피해는 아직 보고되지 않았다.",
            "기상청은 이번 지진이 올해 한반도와 주변 해역에서 일어난 지진 가운데 {n1}번째로 크다고 설명했다.",
            "행정안전부는 지진 직후 비상 근무에 들어가 발전소와 댐 등 주요 시설 {n2b}곳의 이상 여부를 점검했다.",
        ],
    },
    // company
    Domain {
        slots: &[
            (
                "prod",
                &[
                    "2차전지 소재",
                    "전력 반도체",
                    "수소 연료전지",
                    "의료용 로봇",
                    "친환경 포장재",
                    "바이오 의약품",
                    "산업용 드론",
                    "고성능 타이어",
                    "냉동 간편식",
                    "데이터센터 냉각 장비",
                ],
            ),
            ("updown", &["늘었다", "줄었다"]),
        ],
        headlines: &[
            "{org}, {prod} 사업에 {n4}억 투자",
            "{org} {q}분기 영업익 {n4}억…{pct}% {updown}",
        ],
        first: &[
            "{org:은} {prod} 생산 능력을 늘리기 위해 {place}에 {n4}억원을 들여 새 공장을 짓겠다고 {d}일 공시했다.",
            "{org:은} 올해 {q}분기 연결 기준 영업이익이 {n4}억원으로 지난해 같은 기간보다 {pct}% {updown}고 {d}일 밝혔다.",
            "{org:이} {prod} 부문을 떼어 내 별도 법인을 세우기로 하고 {mo}월 임시 주주총회를 열기로 했다.",
        ],
        second: &[
            "회사 측은 이번 투자로 일자리 {n3}개가 새로 생기고 연간 매출이 {n4b}억원가량 늘어날 것으로 기대하고 있다.",
            "{person} {org} 대표는 “{prod} 시장의 경쟁이 치열해지는 만큼 {n1}년 안에 점유율을 두 배로 끌어올리겠다”고 말했다.",
            "증권가에서는 {org:이} 하반기에 {prod} 수요 회복의 수혜를 보며 매출이 {pct2}%가량 늘 것이라는 전망이 나온다.",
        ],
    },
    // court
    Domain {
        slots: &[
            (
                "case",
                &[
                    "사기",
                    "업무상 횡령",
                    "배임",
                    "보조금 편취",
                    "불법 촬영",
                    "뇌물 수수",
                    "자본시장법 위반",
                    "산업기술 유출",
                ],
            ),
            (
                "court",
                &[
                    "서울중앙지법",
                    "수원지법",
                    "부산지법",
                    "대구지법",
                    "광주지법",
                    "인천지법",
                    "대전지법",
                    "청주지법",
                    "창원지법",
                    "전주지법",
                ],
            ),
        ],
        headlines: &[
            "‘{case}’ 혐의 {person}씨 1심서 징역 {n1}년",
            "법원, {case} 혐의 {org} 전 임원에 집행유예",
        ],
        first: &[
            "{court} 형사{n2}부는 {d}일 {case} 혐의로 구속기소된 {person}씨에게 징역 {n1}년을 선고했다.",
            "{case} 혐의로 재판에 넘겨진 {org} 전 임원 {person}씨가 1심에서 징역 {n1}년에 집행유예 {n1b}년을 선고받았다.",
            "{court:은} {d}일 {case} 사건의 피고인 {person}씨에 대한 항소심에서 원심을 깨고 형량을 징역 {n1}년으로 늘렸다.",
        ],
        second: &[
            "재판부는 “피해 금액이 {n2b}억원에 이르고 피해자들과 합의하지 못했다”며 양형 이유를 밝혔다.",
            "{person}씨는 피해자 {n2}명에게서 모두 {n3}억원을 가로챈 혐의를 받아 왔다.",
            "검찰은 판결문을 검토한 뒤 항소 여부를 결정하겠다는 입장이며 {person}씨 측도 {dd}일 항소할 뜻을 내비쳤다.",
        ],
    },
    // assembly
    Domain {
        slots: &[
            (
                "bill",
                &[
                    "주택임대차보호법",
                    "산업안전보건법",
                    "전자금융거래법",
                    "도로교통법",
                    "학교폭력예방법",
                    "의료법",
                    "소상공인기본법",
                    "농어업재해보험법",
                ],
            ),
            (
                "cmte",
                &[
                    "국토교통위원회",
                    "환경노동위원회",
                    "정무위원회",
                    "행정안전위원회",
                    "교육위원회",
                    "보건복지위원회",
                ],
            ),
            (
                "target",
                &[
                    "영세 사업장",
                    "청년 임차인",
                    "택배 노동자",
                    "농어민",
                    "소상공인",
                    "고령 운전자",
                    "장애인 가구",
                    "다문화 가정",
                ],
            ),
        ],
        headlines: &[
            "‘{target} 지원’ {bill} 개정안 본회의 통과",
            "{bill} 개정안 {cmte} 문턱 넘어",
        ],
        first: &[
            "국회는 {d}일 본회의를 열어 {bill} 개정안을 재석 {seats}명 중 찬성 {yes}명으로 가결했다.",
            "{bill} 개정안이 {d}일 국회 {cmte} 전체회의를 통과해 법제사법위원회로 넘어갔다.",
            "여야는 {d}일 원내대표 회동에서 {target} 지원을 담은 {bill} 개정안을 {mo}월 안에 처리하기로 합의했다.",
        ],
        second: &[
            "개정안은 {target}에 대한 지원 근거를 마련하고 위반 시 과태료를 최대 {n2}00만원으로 올리는 내용을 담았다.",
            "법안은 공포 후 {n1}개월이 지나 시행되며, 정부는 시행령 개정 작업에 곧바로 착수해 {mo}월까지 마칠 계획이다.",
            "일부 의원은 {target} 현장의 의견 수렴이 부족했다며 반대 토론에 나섰고 기권도 {n2b}표 나왔다.",
        ],
    },
    // outbreak
    Domain {
        slots: &[
            (
                "fac",
                &[
                    "초등학교",
                    "어린이집",
                    "요양원",
                    "기업 구내식당",
                    "수련원",
                    "대학 기숙사",
                    "뷔페식당",
                    "산후조리원",
                ],
            ),
            (
                "bug",
                &[
                    "노로바이러스",
                    "식중독",
                    "수두",
                    "결핵",
                    "레지오넬라증",
                    "A형 간염",
                ],
            ),
            ("item", &["급식", "정수기", "조리실", "샤워 시설"]),
        ],
        headlines: &[
            "{place} {fac}서 {bug} 집단 발생…{n2}명 증상",
            "{fac} {bug} 감염 {n2}명으로 늘어",
        ],
        first: &[
            "{place}의 한 {fac}에서 {bug} 의심 환자가 잇따라 나와 보건 당국이 {d}일 역학조사에 나섰다.",
            "{d}일 {place} 보건소에 따르면 {fac} 이용자 {n2}명이 고열과 구토 등 {bug} 증상을 보였다.",
            "{bug} 집단 감염이 확인된 {place} {fac}의 관련 환자가 {d}일 현재 {n2}명으로 늘었다.",
        ],
        second: &[
            "보건 당국은 환자 {n1}명의 검체를 채취해 정밀 검사를 의뢰하고 해당 시설의 {item} 사용을 일시 중단시켰다.",
            "증상을 보인 이들 가운데 {n1}명은 입원 치료를 받고 있으며 나머지 {n2b}명은 통원 치료 중이다.",
            "당국은 {fac} 종사자 {n2b}명에 대해서도 검사를 진행하는 한편 {mo}월 말까지 주변 시설을 살피기로 했다.",
        ],
    },
    // school
    Domain {
        slots: &[
            (
                "office",
                &[
                    "경기도교육청",
                    "부산시교육청",
                    "충남도교육청",
                    "전북교육청",
                    "대구시교육청",
                    "강원도교육청",
                    "인천시교육청",
                    "경남도교육청",
                ],
            ),
            ("school", &["초등학교", "중학교", "고등학교", "특수학교"]),
            (
                "prog",
                &[
                    "인공지능 맞춤형 수업",
                    "기초학력 책임 교육",
                    "방과후 코딩 교실",
                    "학생 마음 건강 상담",
                    "온라인 공동 교육과정",
                    "아침 독서 시간",
                ],
            ),
        ],
        headlines: &[
            "{office}, {school} {n2}곳서 ‘{prog}’ 시범 운영",
            "{office} {prog} 신청 {n3}명…두 배로",
        ],
        first: &[
            "{office:은} 다음 학기부터 관내 {school} {n2}곳에서 {prog:을} 시범 운영한다고 {d}일 밝혔다.",
            "{office:이} 추진하는 {prog:이} 학부모 설문에서 {pctbig}%의 찬성을 얻어 {mo}월부터 확대 시행된다.",
            "{d}일 {office}에 따르면 올해 {prog} 신청 학생은 {n3}명으로 지난해의 두 배 가까이로 늘었다.",
        ],
        second: &[
            "교육청은 참여 학교에 학교당 {n2b}00만원의 운영비와 전담 강사 {n1}명을 지원할 계획이다.",
            "교원 단체는 현장 교사의 업무 부담이 주당 {n1b}시간가량 늘어날 수 있다며 보완책을 요구했다.",
            "{person} 교육감은 “학생 {n3b}명 모두의 배움을 끝까지 책임지는 체계를 만들겠다”고 강조했다.",
        ],
    },
    // transport
    Domain {
        slots: &[
            (
                "line",
                &[
                    "경부선",
                    "호남선",
                    "수도권 전철 1호선",
                    "경의중앙선",
                    "분당선",
                    "동해선",
                    "중앙선",
                    "경춘선",
                ],
            ),
            (
                "station",
                &[
                    "천안역", "오송역", "용산역", "가평역", "구미역", "신창역", "덕소역", "양평역",
                ],
            ),
            (
                "cause",
                &[
                    "선로 장애",
                    "신호 장애",
                    "전력 공급 장애",
                    "차량 고장",
                    "선로 위 낙석",
                    "출입문 고장",
                ],
            ),
            (
                "airport",
                &[
                    "제주공항",
                    "김포공항",
                    "김해공항",
                    "청주공항",
                    "여수공항",
                    "울산공항",
                ],
            ),
            ("wx2", &["강풍", "폭설", "짙은 안개", "돌풍"]),
        ],
        headlines: &[
            "{line} {cause}로 열차 {n2}분 지연",
            "{airport} {wx2}에 항공편 {n2}편 결항",
        ],
        first: &[
            "{d}일 오전 {line} {station} 부근에서 {cause:이} 발생해 열차 운행이 {n2}분가량 중단됐다.",
            "{airport}에 {wx2:이} 몰아치면서 {d}일 오후 출발 예정이던 항공편 {n2}편이 결항했다.",
            "{line} 일부 구간에서 {d}일 {cause} 여파로 열차가 최대 {n2}분씩 늦게 도착했다.",
        ],
        second: &[
            "운영사 측은 승객 {n3}명에게 지연 사실을 안내하고 대체 교통편으로 버스 {n1}대를 긴급 투입했다.",
            "공항 측은 발이 묶인 승객 {n4}명에게 모포와 생수를 나눠 주고 임시 숙소 {n2b}곳을 안내했다.",
            "운영사는 정확한 원인을 조사하는 한편 {dd}일까지 해당 구간의 시설물 {n2b}곳을 특별 점검하기로 했다.",
        ],
    },
    // sports
    Domain {
        slots: &[
            (
                "team",
                &[
                    "청주 솔개스",
                    "여수 마린스",
                    "원주 불사조",
                    "포항 강철새",
                    "김해 가야킹스",
                    "춘천 호반스",
                    "군산 갈매기FC",
                    "안동 하회탈스",
                ],
            ),
            (
                "team2",
                &[
                    "세종 새빛",
                    "제주 한라FC",
                    "목포 항구스",
                    "구미 전자스",
                    "천안 호두스",
                    "강릉 커피FC",
                ],
            ),
            (
                "league",
                &[
                    "K리그2",
                    "프로배구 V리그",
                    "프로농구",
                    "여자프로농구",
                    "핸드볼 H리그",
                ],
            ),
        ],
        headlines: &[
            "{team}, {team2} 꺾고 {n1}연승",
            "{person} 결승골…{team} {rank}위 도약",
        ],
        first: &[
            "{team:이} {d}일 홈 경기에서 {team2:을} {win}대{lose}로 꺾고 {n1}연승을 달렸다.",
            "{team}의 {person:이} 후반 {min}분 결승골을 터뜨려 팀의 {win}대{lose} 승리를 이끌었다.",
            "{d}일 열린 {league} {n2}라운드에서 {team:이} {team2:와} 접전 끝에 {win}대{lose}로 이겼다.",
        ],
        second: &[
            "이날 승리로 {team:은} 승점 {n2b}을 쌓아 리그 {rank}위로 올라섰다.",
            "{person:은} 경기 뒤 “팬들의 응원 덕분에 {n1}경기째 끝까지 뛸 수 있었다”고 말했다.",
            "{team2:은} 주전 {n1b}명이 부상으로 빠진 공백을 메우지 못하고 최근 {n1}경기 무승에 그쳤다.",
        ],
    },
    // science
    Domain {
        slots: &[
            (
                "inst",
                &[
                    "한국과학기술원(KAIST)",
                    "포스텍",
                    "울산과학기술원(UNIST)",
                    "광주과학기술원(GIST)",
                    "한국전자통신연구원",
                    "한국화학연구원",
                    "한국기계연구원",
                    "대구경북과학기술원(DGIST)",
                ],
            ),
            (
                "tech",
                &[
                    "고체 전해질 배터리",
                    "차세대 태양전지",
                    "초소형 열화상 센서",
                    "해수 담수화 분리막",
                    "저전력 인공지능 반도체",
                    "생분해 플라스틱",
                    "수소 저장 합금",
                    "양자 암호 통신 모듈",
                ],
            ),
            (
                "journal",
                &[
                    "네이처 에너지",
                    "사이언스 어드밴시스",
                    "어드밴스드 머티리얼즈",
                    "ACS 나노",
                    "네이처 커뮤니케이션즈",
                ],
            ),
            ("field", &["에너지", "소재", "반도체", "환경", "통신"]),
        ],
        headlines: &[
            "{inst} 연구진, 효율 {pct2}% 높인 {tech} 개발",
            "{inst} ‘{tech}’ {n2}시간 연속 시험 성공",
        ],
        first: &[
            "{inst} 연구진이 기존보다 효율이 {pct2}% 높은 {tech:을} 개발했다고 {d}일 밝혔다.",
            "{inst:은} {tech} 기술을 활용한 시제품을 만들어 {n2}시간 연속 시험 운전에 성공했다고 {d}일 발표했다.",
            "{d}일 {inst}에 따르면 {person} 교수 연구팀은 {tech:을} 세계 최고 수준의 성능으로 구현했다.",
        ],
        second: &[
            "연구 결과는 국제 학술지 {journal} {mo}월호에 실렸으며 관련 특허 {n1}건이 출원됐다.",
            "연구진은 {n1}년 안에 상용화할 수 있도록 기업 {n1b}곳과 기술 이전 협의를 진행하고 있다.",
            "{person} 교수는 “이번 성과가 {field} 분야의 기술 자립에 보탬이 되기를 바란다”고 말했다.",
        ],
    },
    // festival
    Domain {
        slots: &[
            (
                "fest",
                &[
                    "갯벌 낙지 축제",
                    "산수유꽃 축제",
                    "국제 탈춤 페스티벌",
                    "한우 먹거리 축제",
                    "빛 축제",
                    "억새 축제",
                    "전어 축제",
                    "얼음 나라 축제",
                    "국화 전시회",
                    "국제 드론 쇼",
                ],
            ),
            (
                "theme",
                &[
                    "함께 걷는 길",
                    "다시 만나는 봄",
                    "빛과 물의 도시",
                    "미래를 잇는 전통",
                    "바다가 들려주는 이야기",
                ],
            ),
        ],
        headlines: &[
            "{place} {fest} 개막…{n1}일간 열려",
            "{fest} 첫날 관람객 {n2}만명 몰려",
        ],
        first: &[
            "{place}의 대표 축제인 {fest:이} {d}일 개막해 {n1}일간의 일정에 들어갔다.",
            "올해로 {n2}회째를 맞은 {fest:은} 주제인 ‘{theme}’에 맞춰 공연과 전시 {n2b}개 프로그램을 선보인다.",
            "{d}일 {place} 일대에서 열린 {fest}에 첫날에만 관람객 {n2}만명이 몰렸다.",
        ],
        second: &[
            "주최 측은 행사장 주변에 임시 주차장 {n1}곳과 셔틀버스 {n2b}대를 운영해 교통 혼잡을 줄이기로 했다.",
            "지역 상인회는 축제 기간 식당과 숙박업소의 매출이 평소보다 {pct2}% 늘 것으로 내다봤다.",
            "{person} 축제추진위원장은 “안전요원 {n3}명을 곳곳에 배치했다”며 질서 있는 관람을 부탁했다.",
        ],
    },
    // police
    Domain {
        slots: &[
            (
                "police",
                &[
                    "경기남부경찰청",
                    "부산경찰청",
                    "서울경찰청 광역수사단",
                    "충북경찰청",
                    "전남경찰청",
                    "인천경찰청 마약범죄수사대",
                    "대구경찰청",
                    "강원경찰청",
                ],
            ),
            (
                "crime",
                &[
                    "보이스피싱",
                    "중고거래 사기",
                    "불법 도박 사이트 운영",
                    "전세 보증금 편취",
                    "가상자산 투자 사기",
                    "보험 사기",
                    "명의 도용 대출",
                ],
            ),
            ("hideout", &["원룸", "모텔", "찜질방", "오피스텔", "PC방"]),
        ],
        headlines: &[
            "{crime} 일당 {n1}명 검거…피해 {n2}명",
            "경찰, {crime} 혐의 {agegrp}대 구속",
        ],
        first: &[
            "{police:은} {crime} 혐의로 {agegrp}대 {person}씨 등 {n1}명을 검거했다고 {d}일 밝혔다.",
            "{d}일 {police}에 따르면 {person}씨는 {mo}월부터 {crime} 수법으로 {n2}명에게서 {n3}00만원을 가로챈 혐의를 받는다.",
            "{crime} 범행을 벌인 혐의를 받는 {agegrp}대 남성이 {place}의 한 {hideout}에서 경찰에 붙잡혔다.",
        ],
        second: &[
            "경찰은 이들의 계좌를 추적해 범죄 수익 {n2b}억원가량을 동결하고 추가 피해가 있는지 조사하고 있다.",
            "{person}씨는 경찰 조사에서 “빚 {n1b}천만원을 갚으려 했다”며 혐의를 대체로 인정한 것으로 전해졌다.",
            "경찰은 {person}씨에 대해 구속영장을 신청했으며 달아난 공범 {n1}명의 행방을 쫓고 있다.",
        ],
    },
    // sea
    Domain {
        slots: &[
            (
                "sea",
                &[
                    "전남 신안군 흑산도 인근",
                    "제주 차귀도 서쪽",
                    "경북 울진 앞",
                    "충남 태안 격렬비열도 부근",
                    "경남 통영 욕지도 인근",
                    "전북 군산 어청도 인근",
                ],
            ),
            (
                "port",
                &[
                    "목포항",
                    "여수항",
                    "포항 구룡포항",
                    "인천 연안부두",
                    "부산 감천항",
                    "동해 묵호항",
                ],
            ),
            (
                "ship",
                &[
                    "제7해성호",
                    "제3대광호",
                    "금양호",
                    "제11청룡호",
                    "동진호",
                    "제5영진호",
                    "한결호",
                    "제2태양호",
                ],
            ),
        ],
        headlines: &[
            "{sea} 해상서 {ship} 좌초…선원 {n1}명 구조",
            "{port} 앞바다 {ship} 충돌…기름 유출",
        ],
        first: &[
            "{d}일 새벽 {sea} 해상에서 {ton}t급 어선 {ship:이} 암초에 걸려 움직이지 못한다는 신고가 해경에 접수됐다.",
            "{port} 앞바다에서 {d}일 오후 {ton}t급 어선 {ship:와} 화물선이 부딪혀 해경이 구조 작업을 벌였다.",
            "{port} 남쪽 {km}㎞ 해상에서 조업 중이던 {ship}의 선원 {n1}명이 바다에 빠졌다가 구조됐다.",
        ],
        second: &[
            "해경은 경비함정 {n1b}척과 헬기를 보내 선원 {n2}명을 모두 구조했으며 크게 다친 사람은 없다.",
            "사고 해역에는 기름이 일부 새어 나와 해경이 방제 작업에 나섰으며 {n3}m 길이의 오일펜스를 설치했다.",
            "해경은 선장 {agegrp}대 {person}씨를 상대로 항로 이탈 여부 등 정확한 사고 원인을 조사하고 있다.",
        ],
    },
    // labour
    Domain {
        slots: &[
            (
                "union",
                &[
                    "철도 노동조합",
                    "병원 노동조합 연합",
                    "학교 비정규직 노조",
                    "시내버스 노조",
                    "조선소 하청 노조",
                    "항만 하역 노조",
                ],
            ),
            (
                "demand",
                &[
                    "안전 인력 확충",
                    "임금 체계 개편",
                    "정규직 전환",
                    "주 4일제 시범 도입",
                    "위험 수당 현실화",
                ],
            ),
        ],
        headlines: &[
            "{place} {union} 파업 {n1}일째…{demand} 요구",
            "{org} 노사 임금협상 잠정 합의…기본급 {pct}% 인상",
        ],
        first: &[
            "{place} {union:은} {demand:을} 요구하며 {d}일부터 전면 파업에 들어갔다.",
            "{org} 노사가 {d}일 새벽 기본급 {pct}% 인상을 골자로 한 임금 협상에 잠정 합의했다.",
            "{union} 조합원 {n4}명이 {d}일 {place}에서 결의대회를 열고 {demand:을} 촉구했다.",
        ],
        second: &[
            "노조 측은 사측이 교섭에 성실히 응하지 않으면 {mo}월부터 파업 수위를 높이겠다고 밝혔다.",
            "잠정 합의안은 {dd}일 조합원 찬반 투표를 거쳐 최종 확정되며 성과급 {n2}0만원 지급도 담겼다.",
            "사측은 이번 파업으로 하루 {n2b}억원의 손실이 나고 있다며 {n1}차 교섭을 제안했다.",
        ],
    },
];

/// Second sentences any domain may use, so that two leads of one domain seldom share both
/// frames (each frame is about half fixed text).
const GENERIC: [&str; 24] = [
    "{agency:은} {dd}일 오전 {place} 현장 점검을 마친 뒤 {followup:을} 발표할 예정이다.",
    "{place2:은} {n2}명 규모의 대책반을 꾸려 {n1}주 동안 {followup} 마련에 나서기로 했다.",
    "{agency:은} 비슷한 사례가 최근 {n1}년 사이 {place2}에서만 {n2}건 있었다며 {followup:을} 내놓겠다고 했다.",
    "현장을 찾은 {place2} 주민 {person2}씨는 “{n1b}0년 살면서 이런 일은 처음 본다”고 말했다.",
    "{ministry:은} {mo}월 {dd}일 관계 부처 회의를 열어 {followup:을} 논의할 계획이다.",
    "이번 일로 {place2} {town2} 일대 상가 {n2}곳이 영업에 차질을 빚은 것으로 파악됐다.",
    "{agency} 관계자는 “{n1}일 안에 정확한 경위를 밝히고 {followup:을} 알리겠다”고 말했다.",
    "{place2} 시민단체 {n1b}곳은 {dd}일 공동 성명을 내고 {agency}의 책임 있는 설명을 요구했다.",
    "{person2} {univ} 교수는 같은 일이 {n1}년 주기로 되풀이된다며 {followup:을} 주문했다.",
    "{agency} 누리집에는 {dd}일 하루에만 문의 글 {n3}건이 올라와 한때 접속이 지연됐다.",
    "{agency:은} 피해 규모가 {n2}억원을 넘을 수 있다고 보고 {place2} 일대를 정밀 조사하고 있다.",
    "소식이 알려지자 {place2} 지역 온라인 커뮤니티에는 {dd}일 목격담 {n2}건이 잇따라 올라왔다.",
    "{person2} {place2}의회 의장은 “{mo}월까지 {followup:을} 내놓겠다”고 약속했다.",
    "{agency:은} 정확한 피해 규모가 {dd}일 오후 {h}시께 나올 것으로 보고 있다.",
    "{ministry:은} 직원 {n3}명을 {place2} 현장에 보내 상황을 살피고 있다.",
    "{ministry} 장관은 {dd}일 오전 {place2:을} 찾아 {followup:을} 서둘러 달라고 지시했다.",
    "{agency:은} {n2}개 항목을 추가로 점검한 뒤 {mo}월 {dd}일 결과를 공개하기로 했다.",
    "주민설명회는 {dd}일 오후 {h}시 {place2} {town2} 주민센터에서 열린다.",
    "이에 따라 {place2} {town2} 인근 도로 {n1}곳의 통행이 {n1b}시간 동안 제한된다.",
    "{place2:은} 관련 예산 {n2}억원을 추가경정예산안에 넣어 {mo}월 의회에 제출할 예정이다.",
    "{dd}일 국회 {cmte2}에서도 {agency}를 상대로 관련 질의가 {n1}차례 이어졌다.",
    "{person2} {univ} 교수는 “{agency}의 관리 체계를 처음부터 다시 짜야 한다”고 지적했다.",
    "이 소식에 {place2}에 본사를 둔 {org2} 주가는 장중 {pct}%까지 출렁였다.",
    "{agency:은} {mo}월 {dd}일까지 {place2} 주민의 신고를 받은 뒤 {followup:을} 정할 방침이다.",
];
/// Slots of [`GENERIC`].
const GENERIC_SLOTS: &[(&str, &[&str])] = &[
    (
        "agency",
        &[
            "행정안전부",
            "국토교통부",
            "환경부",
            "소방청",
            "경찰청",
            "해양경찰청",
            "질병관리청",
            "산림청",
            "기상청",
            "한국도로공사",
            "한국전력",
            "국가철도공단",
            "식품의약품안전처",
            "교육부",
            "고용노동부",
        ],
    ),
    (
        "ministry",
        &[
            "행정안전부",
            "국토교통부",
            "환경부",
            "보건복지부",
            "산업통상자원부",
            "농림축산식품부",
            "해양수산부",
            "교육부",
        ],
    ),
    (
        "followup",
        &[
            "재발 방지 대책",
            "피해 지원 방안",
            "안전 점검 결과",
            "보상 기준",
            "제도 개선안",
            "현장 조사 결과",
            "긴급 지원책",
            "시설 보강 계획",
        ],
    ),
    (
        "univ",
        &[
            "서울대",
            "부산대",
            "경북대",
            "전남대",
            "충남대",
            "강원대",
            "제주대",
            "한양대",
            "고려대",
            "연세대",
        ],
    ),
    (
        "cmte2",
        &[
            "행정안전위원회",
            "국토교통위원회",
            "환경노동위원회",
            "산업통상자원위원회",
            "보건복지위원회",
        ],
    ),
];

/// Places: a province and a city or district.
const PLACES: [&str; 28] = [
    "경기 화성시",
    "경기 평택시",
    "경기 김포시",
    "충북 청주시",
    "충남 천안시",
    "충남 당진시",
    "전북 군산시",
    "전남 여수시",
    "전남 나주시",
    "경북 구미시",
    "경북 경주시",
    "경남 김해시",
    "경남 거제시",
    "강원 원주시",
    "강원 강릉시",
    "제주 서귀포시",
    "부산 사하구",
    "부산 기장군",
    "대구 달서구",
    "인천 남동구",
    "인천 서구",
    "광주 광산구",
    "대전 유성구",
    "울산 울주군",
    "서울 강서구",
    "서울 노원구",
    "서울 영등포구",
    "경기 이천시",
];
const TOWNS: [&str; 22] = [
    "향남읍",
    "송산동",
    "장안면",
    "오창읍",
    "신평면",
    "소룡동",
    "화양면",
    "봉황동",
    "옥포동",
    "문막읍",
    "주문진읍",
    "대정읍",
    "다대동",
    "정관읍",
    "성서동",
    "논현동",
    "가좌동",
    "하남동",
    "관평동",
    "온산읍",
    "가양동",
    "상계동",
];
const WX_REGIONS: [&str; 8] = [
    "경기 남부",
    "충남 서해안",
    "전남 동부",
    "경북 북부 내륙",
    "강원 영동",
    "제주 산지",
    "경남 남해안",
    "충북 중부",
];
/// People in stories: other names than the reporters' (see `outlets.rs`).
const SURNAMES: [&str; 16] = [
    "김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권", "황",
];
const GIVEN: [&str; 20] = [
    "민준", "서연", "지호", "하은", "예준", "수아", "시우", "지유", "건우", "채원", "우진", "다인",
    "현수", "미정", "성민", "영숙", "태호", "은정", "동현", "지혜",
];
const ORG_PREFIXES: [&str; 15] = [
    "대성",
    "한울",
    "세진",
    "신화",
    "우림",
    "청솔",
    "금강",
    "삼익",
    "일신",
    "광명",
    "보람",
    "동해",
    "태산",
    "하나로",
    "명성",
];
const ORG_SUFFIXES: [&str; 12] = [
    "전자",
    "건설",
    "제약",
    "화학",
    "중공업",
    "바이오",
    "물산",
    "식품",
    "에너지",
    "모빌리티",
    "소프트",
    "정밀",
];

pub(super) fn pick(rng: &mut ChaCha8Rng, list: &[&str]) -> String {
    list.choose(rng).expect("a non-empty list").to_string()
}

/// A value for a slot every domain may use.
fn global(rng: &mut ChaCha8Rng, key: &str) -> String {
    let n = |rng: &mut ChaCha8Rng, lo: u32, hi: u32| rng.random_range(lo..=hi).to_string();
    match key {
        "place" | "place2" => pick(rng, &PLACES),
        "town" | "town2" => pick(rng, &TOWNS),
        "region" => pick(rng, &WX_REGIONS),
        "person" | "person2" => format!("{}{}", pick(rng, &SURNAMES), pick(rng, &GIVEN)),
        "org" | "org2" => format!("{}{}", pick(rng, &ORG_PREFIXES), pick(rng, &ORG_SUFFIXES)),
        "h" => n(rng, 1, 11),
        "mi" => (rng.random_range(1..=11u32) * 5).to_string(),
        "d" | "dd" => n(rng, 1, 28),
        "mo" => n(rng, 1, 12),
        "n1" | "n1b" => n(rng, 2, 9),
        "n2" | "n2b" => n(rng, 11, 98),
        "n3" | "n3b" => n(rng, 120, 980),
        "n4" | "n4b" => n(rng, 1200, 9800),
        "pct" => format!("{}.{}", rng.random_range(1..=9), rng.random_range(0..=9)),
        "pct2" => n(rng, 10, 60),
        "pctbig" => format!("{}.{}", rng.random_range(30..=89), rng.random_range(0..=9)),
        "agegrp" => (rng.random_range(2..=7u32) * 10).to_string(),
        "km" => n(rng, 5, 45),
        "km2" => n(rng, 3, 20),
        "mag" => format!("{}.{}", rng.random_range(2..=4), rng.random_range(0..=9)),
        "ton" => n(rng, 9, 89),
        "min" => n(rng, 1, 90),
        "win" => n(rng, 2, 5),
        "lose" => n(rng, 0, 1),
        "rank" => n(rng, 1, 6),
        "q" => n(rng, 1, 4),
        "k" => n(rng, 1, 3),
        "seats" => n(rng, 250, 295),
        "yes" => n(rng, 150, 240),
        other => unreachable!("no slot {other}"),
    }
}

/// The particle `p` (given in its after-a-consonant form: 은, 이, 을, 과/와, 으로/로) that
/// agrees with the last Hangul syllable of `word`.
pub fn particle(word: &str, p: &str) -> &'static str {
    let last = word.chars().rev().find(|c| ('가'..='힣').contains(c));
    let jong = last.map_or(0, |c| (c as u32 - 0xAC00) % 28);
    let closed = jong != 0;
    match p {
        "은" | "는" => ["는", "은"][usize::from(closed)],
        "이" | "가" => ["가", "이"][usize::from(closed)],
        "을" | "를" => ["를", "을"][usize::from(closed)],
        "와" | "과" => ["와", "과"][usize::from(closed)],
        // ㄹ takes 로 like an open syllable.
        "로" | "으로" => ["로", "으로"][usize::from(closed && jong != 8)],
        other => unreachable!("no particle {other}"),
    }
}

pub(super) static SLOT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{([a-z0-9]+)(?::([가-힣]+))?\}").expect("slot regex"));

/// Fills the `{slot}`s of `frame` from `slots` (else the generic and global slots); a slot
/// already in `bound` keeps its value, so a headline and its sentences name the same place,
/// person and numbers.
pub(super) fn fill(
    rng: &mut ChaCha8Rng,
    frame: &str,
    slots: &[(&str, &[&str])],
    bound: &mut BTreeMap<String, String>,
) -> String {
    SLOT.replace_all(frame, |c: &regex::Captures| {
        let key = &c[1];
        let value = match bound.get(key) {
            Some(v) => v.clone(),
            None => {
                let slot = slots.iter().chain(GENERIC_SLOTS).find(|s| s.0 == key);
                let v = match slot {
                    Some((_, list)) => pick(rng, list),
                    None => global(rng, key),
                };
                bound.insert(key.to_string(), v.clone());
                v
            }
        };
        match c.get(2) {
            Some(p) => format!("{value}{}", particle(&value, p.as_str())),
            None => value,
        }
    })
    .into_owned()
}

/// A headline and two lead sentences of domain `domain`.
pub fn lead(rng: &mut ChaCha8Rng, domain: usize) -> Lead {
    let d = &DOMAINS[domain];
    let mut bound = BTreeMap::new();
    let mut frame = |rng: &mut ChaCha8Rng, frames: &[&str]| {
        let f = pick(rng, frames);
        fill(rng, &f, d.slots, &mut bound)
    };
    let headline = frame(rng, d.headlines);
    let first = frame(rng, d.first);
    let second = if rng.random_bool(0.6) {
        frame(rng, &GENERIC)
    } else {
        frame(rng, d.second)
    };
    Lead {
        headline,
        sentences: vec![first, second],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn particles_agree() {
        assert_eq!(particle("대성전자", "은"), "는");
        assert_eq!(particle("대성건설", "은"), "은");
        assert_eq!(particle("한국과학기술원(KAIST)", "이"), "이");
        assert_eq!(particle("울산", "로"), "으로");
        assert_eq!(particle("서울", "로"), "로");
        assert_eq!(particle("대구", "이"), "가");
    }

    #[test]
    fn every_frame_fills() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for d in 0..DOMAINS.len() {
            for _ in 0..30 {
                let l = lead(&mut rng, d);
                for s in std::iter::once(&l.headline).chain(&l.sentences) {
                    assert!(!s.contains(['{', '}']), "domain {d}: {s}");
                }
            }
        }
    }
}
