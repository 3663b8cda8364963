import { registerMessages } from '../i18n/index.js';

registerMessages('login', {
  'zh-CN': {
    title: '远程会诊平台',
    subtitle: '乡镇卫生院、急救车与上级医院专科医生之间的远程会诊。',
    username: '用户名',
    password: '密码',
    submit: '登录',
    submitting: '正在登录…',
    missingFields: '请输入用户名和密码',
    invalidCredentials: '用户名或密码错误',
  },
  en: {
    title: 'Telemed Consult',
    subtitle: 'Remote consultation between clinics, ambulances and specialists.',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    submitting: 'Signing in…',
    missingFields: 'Enter your username and password',
    invalidCredentials: 'Invalid username or password',
  },
});
