-- 原始表(契约):演示数据、导入与独立核对共用的表结构。One statement per raw table.
-- 列名固定;日期为 DATE;季度以季末日期 quarter_end 表示。
CREATE TABLE chains (
    chain_id          VARCHAR PRIMARY KEY,   -- 'C01'…
    name              VARCHAR NOT NULL,
    leader_title      VARCHAR NOT NULL,      -- 链长职务
    lead_unit_id      VARCHAR NOT NULL,      -- 牵头部门
    partner_unit_ids  VARCHAR[] NOT NULL,    -- 配合单位
    coverage_mode     VARCHAR NOT NULL CHECK (coverage_mode IN ('行业党委统筹', '职能部门共建', '园区延伸'))
);

CREATE TABLE parks (
    park_id         VARCHAR PRIMARY KEY,     -- 'P01'…
    name            VARCHAR NOT NULL,
    park_type       VARCHAR NOT NULL,
    lon             DOUBLE NOT NULL,
    lat             DOUBLE NOT NULL,
    has_park_chief  BOOLEAN NOT NULL,        -- 园长制
    chief_unit_id   VARCHAR,
    mechanism       VARCHAR
);

CREATE TABLE units (
    unit_id    VARCHAR PRIMARY KEY,
    name       VARCHAR NOT NULL,
    unit_type  VARCHAR NOT NULL CHECK (unit_type IN ('经济部门', '行业党委', '镇街', '国企', '其他'))
);

CREATE TABLE enterprises (
    enterprise_id  VARCHAR PRIMARY KEY,
    uscc           VARCHAR NOT NULL,         -- 统一社会信用代码
    name           VARCHAR NOT NULL,
    park_id        VARCHAR,
    street         VARCHAR NOT NULL,         -- 镇街
    size           VARCHAR NOT NULL CHECK (size IN ('大', '中', '小', '微')),
    employees      INTEGER NOT NULL,
    revenue_10k    DOUBLE NOT NULL,          -- 营业收入(万元)
    founded_on     DATE NOT NULL,
    closed_on      DATE
);

CREATE TABLE enterprise_chains (
    enterprise_id  VARCHAR NOT NULL,
    chain_id       VARCHAR NOT NULL,
    role           VARCHAR NOT NULL CHECK (role IN ('链主', '核心', '配套')),
    PRIMARY KEY (enterprise_id, chain_id)
);

CREATE TABLE enterprise_party (
    enterprise_id     VARCHAR NOT NULL,
    quarter_end       DATE NOT NULL,
    org_type          VARCHAR NOT NULL CHECK (org_type IN ('单独组建', '联合组建', '无')),
    n_members         INTEGER NOT NULL,
    n_new_members     INTEGER NOT NULL,      -- 本季发展党员
    has_liaison       BOOLEAN NOT NULL,      -- 党建指导员/联络员
    has_union         BOOLEAN NOT NULL,
    has_youth_league  BOOLEAN NOT NULL,
    PRIMARY KEY (enterprise_id, quarter_end)
);

CREATE TABLE honors (
    enterprise_id  VARCHAR NOT NULL,
    honor          VARCHAR NOT NULL CHECK (honor IN ('小巨人', '单项冠军', '两高四新', '高新技术企业', '省级专精特新', '创新型中小企业')),
    batch          VARCHAR NOT NULL,
    awarded_on     DATE NOT NULL,
    expires_on     DATE,
    revoked_on     DATE
);

CREATE TABLE secretaries (
    secretary_id    VARCHAR PRIMARY KEY,
    name            VARCHAR NOT NULL,
    source_unit_id  VARCHAR NOT NULL,
    enterprise_id   VARCHAR NOT NULL,
    started_on      DATE NOT NULL,
    ended_on        DATE
);

CREATE TABLE secretary_outcomes (
    outcome_id    VARCHAR PRIMARY KEY,
    secretary_id  VARCHAR NOT NULL,
    occurred_on   DATE NOT NULL,
    kind          VARCHAR NOT NULL CHECK (kind IN ('解决问题', '政策宣讲', '党建指导', '发展党员', '技术攻关', '人才引进')),
    n             INTEGER NOT NULL,
    title         VARCHAR NOT NULL,
    is_case       BOOLEAN NOT NULL           -- 典型案例
);

CREATE TABLE meetings (
    meeting_id   VARCHAR PRIMARY KEY,
    kind         VARCHAR NOT NULL CHECK (kind IN ('专题会议', '战略咨询会议', '党建联席会议', '吐槽大会', '联合调度会')),
    chain_id     VARCHAR,
    park_id      VARCHAR,
    held_on      DATE NOT NULL,
    n_attendees  INTEGER NOT NULL
);

CREATE TABLE appeals (
    appeal_id        VARCHAR PRIMARY KEY,
    enterprise_id    VARCHAR NOT NULL,
    chain_id         VARCHAR,
    park_id          VARCHAR,
    source           VARCHAR NOT NULL CHECK (source IN ('吐槽大会', '联合调度', '第一书记', '园长', '其他')),
    meeting_id       VARCHAR,
    category         VARCHAR NOT NULL,
    received_on      DATE NOT NULL,
    handler_unit_id  VARCHAR NOT NULL,
    transferred_on   DATE,
    due_on           DATE NOT NULL,
    resolved_on      DATE,
    satisfaction     INTEGER CHECK (satisfaction BETWEEN 1 AND 5)
);

CREATE TABLE pairings (
    pairing_id     VARCHAR PRIMARY KEY,
    unit_id        VARCHAR NOT NULL,
    enterprise_id  VARCHAR NOT NULL,
    chain_id       VARCHAR NOT NULL,
    started_on     DATE NOT NULL,
    ended_on       DATE
);

CREATE TABLE pairing_activities (
    activity_id     VARCHAR PRIMARY KEY,
    pairing_id      VARCHAR NOT NULL,
    held_on         DATE NOT NULL,
    program         VARCHAR NOT NULL CHECK (program IN ('红领精英', '红创人才', '红联众创')),
    n_participants  INTEGER NOT NULL,
    n_results       INTEGER NOT NULL
);

CREATE TABLE chain_master_plans (
    enterprise_id       VARCHAR NOT NULL,
    chain_id            VARCHAR NOT NULL,
    year                INTEGER NOT NULL,
    has_task_force      BOOLEAN NOT NULL,    -- 工作专班
    task_force_mode     VARCHAR CHECK (task_force_mode IN ('内部选定', '跨企选派', '外聘专员')),
    has_party_plan      BOOLEAN NOT NULL,    -- 年度党建规划
    score               DOUBLE,
    fiscal_support_10k  DOUBLE NOT NULL,
    land_mu             DOUBLE NOT NULL,
    n_projects          INTEGER NOT NULL,
    n_standards         INTEGER NOT NULL,
    PRIMARY KEY (enterprise_id, chain_id, year)
);

CREATE TABLE targets (
    year          INTEGER NOT NULL,
    metric        VARCHAR NOT NULL,
    chain_id      VARCHAR,
    park_id       VARCHAR,
    target_value  DOUBLE NOT NULL
);

CREATE TABLE meta (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR NOT NULL
);
