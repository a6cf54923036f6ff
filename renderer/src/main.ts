import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { installTestHooks } from './test-hooks';
import './styles/app.css';

installTestHooks();
createApp(App).use(createPinia()).mount('#app');
