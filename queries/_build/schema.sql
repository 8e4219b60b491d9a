-- 原始表(契约)的建表语句,由 dashboard/contract.py 的 TABLES 生成(python -m dashboard.contract),勿手改。
-- 演示数据、导入与独立核对共用;列名固定;日期为 DATE;季度以季末日期 quarter_end 表示。One statement per raw table.

CREATE TABLE chains (
    chain_id          VARCHAR PRIMARY KEY,  -- 产业链编号
    name              VARCHAR NOT NULL,  -- 产业链名称
    leader_title      VARCHAR NOT NULL,  -- 链长职务
    lead_unit_id      VARCHAR NOT NULL,  -- 牵头部门编号
    partner_unit_ids  VARCHAR[] NOT NULL,  -- 配合单位编号
    coverage_mode     VARCHAR NOT NULL CHECK (coverage_mode IN ('行业党委统筹', '职能部门共建', '园区延伸'))  -- 党建覆盖方式
);

CREATE TABLE parks (
    park_id         VARCHAR PRIMARY KEY,  -- 园区编号
    name            VARCHAR NOT NULL,  -- 园区名称
    park_type       VARCHAR NOT NULL,  -- 园区类型
    lon             DOUBLE NOT NULL CHECK (lon BETWEEN 73 AND 136),  -- 经度
    lat             DOUBLE NOT NULL CHECK (lat BETWEEN 3 AND 54),  -- 纬度
    has_park_chief  BOOLEAN NOT NULL,  -- 是否实行园长制
    chief_unit_id   VARCHAR,  -- 园长所在单位编号
    mechanism       VARCHAR  -- 工作机制
);

CREATE TABLE units (
    unit_id    VARCHAR PRIMARY KEY,  -- 单位编号
    name       VARCHAR NOT NULL,  -- 单位名称
    unit_type  VARCHAR NOT NULL CHECK (unit_type IN ('经济部门', '行业党委', '镇街', '国企', '其他'))  -- 单位类型
);

CREATE TABLE enterprises (
    enterprise_id  VARCHAR PRIMARY KEY,  -- 企业编号
    uscc           VARCHAR NOT NULL,  -- 统一社会信用代码
    name           VARCHAR NOT NULL,  -- 企业名称
    park_id        VARCHAR,  -- 所在园区编号
    street         VARCHAR NOT NULL,  -- 所在镇街
    size           VARCHAR NOT NULL CHECK (size IN ('大', '中', '小', '微')),  -- 企业规模
    employees      INTEGER NOT NULL CHECK (employees >= 0),  -- 从业人数
    revenue_10k    DOUBLE NOT NULL CHECK (revenue_10k >= 0),  -- 营业收入(万元)
    founded_on     DATE NOT NULL,  -- 成立日期
    closed_on      DATE  -- 注销日期
);

CREATE TABLE enterprise_chains (
    enterprise_id  VARCHAR NOT NULL,  -- 企业编号
    chain_id       VARCHAR NOT NULL,  -- 产业链编号
    role           VARCHAR NOT NULL CHECK (role IN ('链主', '核心', '配套')),  -- 链上角色
    PRIMARY KEY (enterprise_id, chain_id)
);

CREATE TABLE enterprise_party (
    enterprise_id     VARCHAR NOT NULL,  -- 企业编号
    quarter_end       DATE NOT NULL,  -- 季末日期
    org_type          VARCHAR NOT NULL CHECK (org_type IN ('单独组建', '联合组建', '无')),  -- 党组织组建方式
    n_members         INTEGER NOT NULL CHECK (n_members >= 0),  -- 党员人数
    n_new_members     INTEGER NOT NULL CHECK (n_new_members >= 0),  -- 本季发展党员数
    has_liaison       BOOLEAN NOT NULL,  -- 是否有党建指导员/联络员
    has_union         BOOLEAN NOT NULL,  -- 是否建立工会
    has_youth_league  BOOLEAN NOT NULL,  -- 是否建立团组织
    PRIMARY KEY (enterprise_id, quarter_end)
);

CREATE TABLE honors (
    enterprise_id  VARCHAR NOT NULL,  -- 企业编号
    honor          VARCHAR NOT NULL CHECK (honor IN ('小巨人', '单项冠军', '两高四新', '高新技术企业', '省级专精特新', '创新型中小企业')),  -- 荣誉类型
    batch          VARCHAR NOT NULL,  -- 批次
    awarded_on     DATE NOT NULL,  -- 认定日期
    expires_on     DATE,  -- 到期日期
    revoked_on     DATE,  -- 撤销日期
    PRIMARY KEY (enterprise_id, honor, batch)
);

CREATE TABLE secretaries (
    secretary_id    VARCHAR PRIMARY KEY,  -- 第一书记编号
    name            VARCHAR NOT NULL,  -- 姓名
    source_unit_id  VARCHAR NOT NULL,  -- 派出单位编号
    enterprise_id   VARCHAR NOT NULL,  -- 派驻企业编号
    started_on      DATE NOT NULL,  -- 任职开始日期
    ended_on        DATE  -- 离任日期
);

CREATE TABLE secretary_outcomes (
    outcome_id    VARCHAR PRIMARY KEY,  -- 成效编号
    secretary_id  VARCHAR NOT NULL,  -- 第一书记编号
    occurred_on   DATE NOT NULL,  -- 发生日期
    kind          VARCHAR NOT NULL CHECK (kind IN ('解决问题', '政策宣讲', '党建指导', '发展党员', '技术攻关', '人才引进')),  -- 成效类型
    n             INTEGER NOT NULL CHECK (n >= 0),  -- 数量
    title         VARCHAR NOT NULL,  -- 事项
    is_case       BOOLEAN NOT NULL  -- 是否典型案例
);

CREATE TABLE meetings (
    meeting_id   VARCHAR PRIMARY KEY,  -- 会议编号
    kind         VARCHAR NOT NULL CHECK (kind IN ('专题会议', '战略咨询会议', '党建联席会议', '吐槽大会', '联合调度会')),  -- 会议类型
    chain_id     VARCHAR,  -- 产业链编号
    park_id      VARCHAR,  -- 园区编号
    held_on      DATE NOT NULL,  -- 召开日期
    n_attendees  INTEGER NOT NULL CHECK (n_attendees >= 0)  -- 参会人数
);

CREATE TABLE appeals (
    appeal_id        VARCHAR PRIMARY KEY,  -- 诉求编号
    enterprise_id    VARCHAR NOT NULL,  -- 企业编号
    chain_id         VARCHAR,  -- 产业链编号
    park_id          VARCHAR,  -- 园区编号
    source           VARCHAR NOT NULL CHECK (source IN ('吐槽大会', '联合调度', '第一书记', '园长', '其他')),  -- 诉求来源
    meeting_id       VARCHAR,  -- 来源会议编号
    category         VARCHAR NOT NULL,  -- 诉求类别
    received_on      DATE NOT NULL,  -- 收到日期
    handler_unit_id  VARCHAR NOT NULL,  -- 承办单位编号
    transferred_on   DATE,  -- 转办日期
    due_on           DATE NOT NULL,  -- 办理期限
    resolved_on      DATE,  -- 办结日期
    satisfaction     INTEGER CHECK (satisfaction BETWEEN 1 AND 5)  -- 满意度
);

CREATE TABLE pairings (
    pairing_id     VARCHAR PRIMARY KEY,  -- 结对编号
    unit_id        VARCHAR NOT NULL,  -- 机关单位编号
    enterprise_id  VARCHAR NOT NULL,  -- 企业编号
    chain_id       VARCHAR NOT NULL,  -- 产业链编号
    started_on     DATE NOT NULL,  -- 结对开始日期
    ended_on       DATE  -- 结对结束日期
);

CREATE TABLE pairing_activities (
    activity_id     VARCHAR PRIMARY KEY,  -- 活动编号
    pairing_id      VARCHAR NOT NULL,  -- 结对编号
    held_on         DATE NOT NULL,  -- 活动日期
    program         VARCHAR NOT NULL CHECK (program IN ('红领精英', '红创人才', '红联众创')),  -- 活动品牌
    n_participants  INTEGER NOT NULL CHECK (n_participants >= 0),  -- 参与人数
    n_results       INTEGER NOT NULL CHECK (n_results >= 0)  -- 成果数
);

CREATE TABLE chain_master_plans (
    enterprise_id       VARCHAR NOT NULL,  -- 企业编号
    chain_id            VARCHAR NOT NULL,  -- 产业链编号
    year                INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),  -- 年度
    has_task_force      BOOLEAN NOT NULL,  -- 是否成立工作专班
    task_force_mode     VARCHAR CHECK (task_force_mode IN ('内部选定', '跨企选派', '外聘专员')),  -- 专班组建方式
    has_party_plan      BOOLEAN NOT NULL,  -- 是否有年度党建规划
    score               DOUBLE CHECK (score BETWEEN 0 AND 100),  -- 评分
    fiscal_support_10k  DOUBLE NOT NULL CHECK (fiscal_support_10k >= 0),  -- 财政支持(万元)
    land_mu             DOUBLE NOT NULL CHECK (land_mu >= 0),  -- 用地(亩)
    n_projects          INTEGER NOT NULL CHECK (n_projects >= 0),  -- 项目数
    n_standards         INTEGER NOT NULL CHECK (n_standards >= 0),  -- 标准数
    PRIMARY KEY (enterprise_id, chain_id, year)
);

CREATE TABLE targets (
    year          INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),  -- 年度
    metric        VARCHAR NOT NULL CHECK (metric IN ('n_xjr', 'n_lgsx', 'org_coverage_rate', 'work_coverage_rate', 'n_problems_solved_ytd', 'appeal_resolved_rate', 'n_pairing_activities_ytd')),  -- 指标
    chain_id      VARCHAR,  -- 产业链编号
    park_id       VARCHAR,  -- 园区编号
    target_value  DOUBLE NOT NULL CHECK (target_value >= 0)  -- 目标值
);

CREATE TABLE meta (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR NOT NULL
);
